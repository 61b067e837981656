__version__ = "0.1.0"
# The library's root when set; here rather than in newsreader.library so the CLI can
# name it in its help without importing the library.
HOME_ENV = "NEWSREADER_HOME"
