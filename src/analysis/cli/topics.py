"""``analysis topics PATH... --out DIR [--k 10] [--method nmf|lda] [--seed 0]``.

Fits a topic model (see :mod:`analysis.topics.model`) on the corpus and writes to DIR
(each file atomically; DIR may not be an input, inside an input folder or a report folder):

- ``topics.csv``: topic, rank, term (readable surface), weight, key (normalized term);
- ``doc_topics.parquet``: article_id, topic, weight (every article, held-out ones too);
- ``quality.json``: {"npmi", "npmi_heldout", "diversity", ..., "topics": [{"topic",
  "npmi", "npmi_heldout", "label", "terms", "keys"}, ...], "parameters": {...}}.

``--k``, ``--method`` and ``--seed`` are the report's parameters (same names, default and
checks; ``--topics`` is the deprecated spelling of ``--k``).
"""
from __future__ import annotations

import argparse
import sys

HELP = "fit a topic model (NMF or LDA) and write topics.csv, doc_topics.parquet, quality.json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_corpus_options, add_csv_option, add_param_options

    add_corpus_options(parser)
    g = parser.add_argument_group("topics")
    g.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    add_param_options(g, ["k", "method", "seed"])
    g.add_argument("--heldout", type=float, default=0.1, metavar="SHARE",
                   help="share of articles held out of fitting to measure coherence (default 0.1)")
    g.add_argument("--terms", type=int, default=10, metavar="N", help="terms per topic in topics.csv (default 10)")
    g.add_argument("--stem", choices=("prefix", "light", "none"), default="prefix",
                   help="clitic stripping / stemming (default prefix)")
    g.add_argument("--min-df", type=float, default=None, metavar="N",
                   help="drop terms in fewer documents (count, or share if < 1; "
                   "default 5, or 2 under 1,000 fitted articles)")
    g.add_argument("--max-df", type=float, default=None, metavar="SHARE",
                   help="drop terms in more documents (share, or count if > 1; default 0.05, "
                   "or 0.6 under 1,000 fitted articles)")
    g.add_argument("--max-features", type=int, default=20000, metavar="N", help="vocabulary size (default 20000)")
    add_csv_option(parser)


def _df_bound(x: float, lowest_count: float):
    """A document count when >= lowest_count and whole, else a share."""
    return int(x) if x >= lowest_count and float(x).is_integer() else float(x)


def run(args: argparse.Namespace) -> int:
    import json

    from analysis.cli import corpus_inputs, load_from_args, params_from_args, write_output
    from analysis.report.outputs import atomic_path, check_output_folder
    from analysis.report.params import validate_params
    from analysis.topics.model import fit_topics

    values = validate_params(params_from_args(args, ["k", "method", "seed"]), style="cli")
    k, method, seed = values["k"], values["method"], values["seed"]
    if k < 1:
        print("analysis topics: --k must be at least 1", file=sys.stderr)
        return 2
    if not 0 <= args.heldout < 1:
        print("analysis topics: --heldout must be in [0, 1)", file=sys.stderr)
        return 2
    files, folders = corpus_inputs(args)
    out = check_output_folder(args.out, inputs=[*files, *folders], input_folders=folders)
    articles = load_from_args(args)
    n_fit = len(articles) - int(round(args.heldout * len(articles)))
    if n_fit < k:
        print(f"analysis topics: {len(articles)} articles are too few for --k {k}", file=sys.stderr)
        return 1
    # unset df bounds: fit_topics picks them by corpus size
    params = dict(stem=args.stem, max_features=args.max_features, n_top_terms=args.terms)
    if args.min_df is not None:
        params["min_df"] = _df_bound(args.min_df, 1)
    if args.max_df is not None:
        params["max_df"] = _df_bound(args.max_df, 2)
    try:
        model = fit_topics(articles, k=k, method=method, random_state=seed, heldout=args.heldout, **params)
    except ValueError as exc:
        print(f"analysis topics: {exc}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    write_output(model.topics(args.terms), out / "topics.csv", csv_safe=args.csv_safe is not False)
    write_output(model.doc_topics_, out / "doc_topics.parquet")
    quality = dict(model.quality_)
    quality["parameters"] = {"k": k, "method": method, "seed": seed,
                             "heldout": args.heldout, **params,
                             "min_df": model.min_df, "max_df": model.max_df}
    with atomic_path(out / "quality.json") as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(quality, fh, ensure_ascii=False, indent=1)
    if not args.quiet:
        q = model.quality_
        ho = "n/a" if q["npmi_heldout"] is None else f"{q['npmi_heldout']:.3f}"
        print(f"topics: k={k} {method}, {q['n_documents']:,} fitted + {q['n_heldout']:,} held-out "
              f"articles, {q['n_vocabulary']:,} terms; NPMI {q['npmi']:.3f} (held-out {ho}), "
              f"diversity {q['diversity']:.3f} -> {out}", file=sys.stderr)
    return 0
