"""The pure article reader: `read_article(title, body) -> Article`.

No I/O besides loading the package's own data files once; deterministic; never raises.
"""

from bot.articles.lemmas import phrase_matches, term_keys, text_keys
from bot.articles.model import Article, Document
from bot.articles.reader import detect_lang, read_article

__all__ = [
    "Article",
    "Document",
    "detect_lang",
    "phrase_matches",
    "read_article",
    "term_keys",
    "text_keys",
]
