from tests.ui.conftest import city, ui  # noqa: F401  (the UI client and the sample city)
