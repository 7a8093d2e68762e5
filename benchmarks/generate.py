"""Generate a synthetic coopgraph corpus of N sources, shaped like the real data.

Each synthetic source is a short English report (``data/corpus/<stem>.txt``) and its Turtle
(``data/sources/<stem>.ttl``) with the real ontology's terms and the real provenance pattern:
every fact has ``cg:hasEvidence`` nodes whose ``oa:exact`` quote occurs in the generated
text at its ``oa:start``/``oa:end`` code-point offsets; the catalog lists every source with
its checksum and graph. Zones, companies and people are drawn from shared pools, so facts
are corroborated by several sources and some figures disagree, as in the real corpus.
The ontology, the gazetteer (plus synthetic cities) and the stored queries are copied
from the repository. About 95 triples per source: ``--triples 1m`` makes ~10,500 files.

    python benchmarks/generate.py --triples 100k --out benchmarks/corpora/100k
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TRIPLES_PER_SOURCE = 113  # source graph ~105 + catalog 8
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
COUNTRIES = ["germany", "finland", "france"]
CHINESE = ["jinan", "foshan"]
INDUSTRIES = ["intelligent manufacturing", "biomedicine", "new materials", "logistics", "software"]

PREFIXES = """@prefix cg: <https://w3id.org/coopgraph/ontology#> .
@prefix cgr: <https://w3id.org/coopgraph/id/> .
@prefix cgc: <https://w3id.org/coopgraph/claim/> .
@prefix cgev: <https://w3id.org/coopgraph/evidence/> .
@prefix cgsrc: <https://w3id.org/coopgraph/source/> .
@prefix cgg: <https://w3id.org/coopgraph/graph/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def source_files(index: int, rng: random.Random, n_sources: int) -> tuple[str, str, str]:
    """Return (stem, text, turtle) of synthetic source ``index``."""
    stem = f"s{index:06d}_{hashlib.sha256(str(index).encode()).hexdigest()[:16]}"
    pool = max(10, n_sources // 8)
    z = rng.randrange(pool)
    c = rng.randrange(pool * 3)
    p = rng.randrange(pool * 2)
    city = f"synth-city-{rng.randrange(max(5, n_sources // 20))}"
    china = rng.choice(CHINESE)
    year = rng.randrange(2010, 2023)
    month = rng.randrange(1, 13)
    day = rng.randrange(1, 29)
    value = rng.choice([20, 30, 50, 60, 100])
    industry = rng.choice(INDUSTRIES)
    zone, company, person = f"synth-zone-{z}", f"synth-company-{c}", f"synth-person-{p}"
    office = f"synth-office-{index}"
    zone_name = f"Synthetic Hi-Tech Zone {z}"
    office_name = f"Synthetic Cooperation Office {index}"
    city_name = f"Synthcity {city.rsplit('-', 1)[1]}"
    sentences = [
        f"Report {index} on industrial cooperation between China and Europe.",
        f"On {day} {MONTHS[month - 1]} {year}, the {office_name} of the {zone_name} was officially opened in {city_name}.",
        f"The {zone_name} in {china.title()} focuses on {industry} and hosts Synthetic Company {c}.",
        f"Synthetic Person {p}, director of the {zone_name}, attended the opening ceremony.",
        f"By {year}, more than {value} German companies had settled in the {zone_name}.",
    ]
    # hard line breaks and a no-break space, as in the real texts; quotes are whitespace-normalised
    text = ""
    spans = []
    for i, sentence in enumerate(sentences):
        raw = sentence.replace(" the ", " the\n", 1) if i % 2 else sentence.replace(" of ", " of\u00a0", 1)
        start = len(text)
        text += raw
        spans.append((start, len(text), " ".join(raw.split())))
        text += "\n\n"
    ev = [f"cgev:{stem}-{k:02d}" for k in range(1, 6)]
    out = [PREFIXES]
    add = out.append
    add(f"cgsrc:{stem} a cg:SourceDocument ; rdfs:label {lit(f'Synthetic report {index}')}@en ; cg:hasEvidence {ev[0]} .")
    add(f"cgr:{office} a cg:CooperationOffice ; rdfs:label {lit(office_name)}@en ; "
        f"skos:altLabel {lit(f'Office {index}')}@en ; cg:locatedIn cgr:{city} ; cg:parentOrganisation cgr:{zone} ; "
        f"cg:hasEvidence {ev[1]} .")
    add(f"cgr:{zone} a cg:HighTechZone ; rdfs:label {lit(zone_name)}@en ; cg:locatedIn cgr:{china} ; "
        f"cg:industry {lit(industry)}@en ; cg:hostsCompany cgr:{company} ; cg:hasEvidence {ev[2]} .")
    add(f"cgr:{company} a cg:Company ; rdfs:label {lit(f'Synthetic Company {c}')}@en ; cg:hasEvidence {ev[2]} .")
    add(f"cgr:{china} a cg:City ; rdfs:label {lit(china.title())}@en .")
    add(f"cgr:{city} a cg:City ; rdfs:label {lit(city_name)}@en ; cg:hasEvidence {ev[1]} .")
    date = f"{year}-{month:02d}-{day:02d}"
    add(f"cgr:{office}-opening a cg:Opening ; rdfs:label {lit(f'Opening of the {office_name}')}@en ; "
        f"cg:concerns cgr:{office} ; cg:place cgr:{city} ; cg:organiser cgr:{zone} ; cg:participant cgr:{person} ; "
        f'cg:date "{date}"^^xsd:date ; cg:datePrecision cg:DayPrecision ; '
        f'cg:earliestDate "{date}"^^xsd:date ; cg:latestDate "{date}"^^xsd:date ; cg:hasEvidence {ev[1]}, {ev[3]} .')
    add(f"cgr:{person} a cg:Person ; rdfs:label {lit(f'Synthetic Person {p}')}@en ; cg:hasEvidence {ev[3]} .")
    add(f"cgc:{stem}-position a cg:Position ; org:member cgr:{person} ; org:organization cgr:{zone} ; "
        f"cg:roleTitle {lit(f'director of the {zone_name}')}@en ; cg:hasEvidence {ev[3]} .")
    add(f"cgc:{stem}-german-companies a cg:Figure ; rdfs:label {lit(f'German companies in the {zone_name}')}@en ; "
        f"cg:about cgr:{zone} ; cg:metric cg:GermanCompanyCount ; cg:value {value} ; cg:unit cg:Companies ; "
        f'cg:bound cg:MoreThan ; cg:date "{year}"^^xsd:gYear ; cg:datePrecision cg:YearPrecision ; '
        f'cg:earliestDate "{year}-01-01"^^xsd:date ; cg:latestDate "{year}-12-31"^^xsd:date ; cg:hasEvidence {ev[4]} .')
    for k, (start, end, quote) in enumerate(spans):
        add(f"{ev[k]} a cg:Evidence ; rdfs:label {lit(f'sentence {k + 1} of report {index}')}@en ; "
            f"oa:hasSource cgsrc:{stem} ;\n    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact {lit(quote)} ] ,"
            f" [ a oa:TextPositionSelector ; oa:start {start} ; oa:end {end} ] .")
    return stem, text, "\n".join(out) + "\n"


def generate(triples: int, out: Path, seed: int = 7) -> Path:
    """Write a data folder of about ``triples`` asserted triples into ``out``; return it."""
    n_sources = max(1, round(triples / TRIPLES_PER_SOURCE))
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "data" / "sources").mkdir(parents=True)
    (out / "data" / "corpus").mkdir(parents=True)
    shutil.copytree(REPO / "ontology", out / "ontology")
    shutil.copytree(REPO / "queries", out / "queries")
    catalog = [PREFIXES]
    for index in range(n_sources):
        stem, text, turtle = source_files(index, rng, n_sources)
        data = text.encode("utf-8")
        (out / "data" / "corpus" / f"{stem}.txt").write_bytes(data)
        (out / "data" / "sources" / f"{stem}.ttl").write_text(turtle, encoding="utf-8")
        catalog.append(
            f"cgsrc:{stem} a cg:SourceDocument ; rdfs:label {lit(f'Synthetic report {index}')}@en ; "
            f'dcterms:title {lit(f"Report {index}")}@en ; dcterms:language "en" ; cg:fileName "{stem}.txt" ; '
            f"cg:characterCount {len(text)} ; cg:sha256 \"{hashlib.sha256(data).hexdigest()}\" ; cg:graph cgg:{stem} ."
        )
    (out / "data" / "catalog.ttl").write_text("\n".join(catalog) + "\n", encoding="utf-8")
    places = (REPO / "data" / "places.ttl").read_text(encoding="utf-8")
    extra = [PREFIXES]
    for k in range(max(5, n_sources // 20)):
        extra.append(f"cgr:synth-city-{k} a cg:City ; rdfs:label {lit(f'Synthcity {k}')}@en ; "
                     f"cg:locatedIn cgr:{COUNTRIES[k % len(COUNTRIES)]} .")
    (out / "data" / "places.ttl").write_text(places + "\n" + "\n".join(extra) + "\n", encoding="utf-8")
    (out / "SIZE").write_text(f"{triples} {n_sources}\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", default="10k", help="about how many asserted triples (10k, 100k, 1m)")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(parse_size(args.triples), args.out, args.seed)


if __name__ == "__main__":
    main()
