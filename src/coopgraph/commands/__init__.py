"""One module per ``coopgraph`` subcommand, each with ``add_arguments(parser)`` and ``run(args)``."""
