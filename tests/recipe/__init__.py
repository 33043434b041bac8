"""A throw-away record type (走访记录) added through the recipe in docs_recipe_adding_a_record_type.md;
tests/unit/test_adding_a_record_type.py and tests/gui/test_adding_a_record_page.py walk it."""
