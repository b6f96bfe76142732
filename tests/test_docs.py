"""The generated part of docs/study-format.md matches the models."""

from lca.study import docgen


def test_study_format_reference_is_up_to_date():
    assert docgen.render(docgen.DOC.read_text()) == docgen.DOC.read_text(), "run: python -m lca.study.docgen"


def test_reference_lists_every_model_field():
    text = docgen.reference(__import__("lca.study.schema", fromlist=["Study"]).Study)
    for field in ("`functional_unit`", "`amortised_over`", "`utilisation`", "`not_applicable`"):
        assert field in text
