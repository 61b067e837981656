"""Where the tests find things, wherever in tests/ the test file sits."""
from pathlib import Path

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
ROOT = TESTS.parent  # the checkout
SHARED = ROOT.parent / "shared"  # the evaluation corpus beside the checkout, when it is there
