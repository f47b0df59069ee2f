"""The page's sections: each module draws one part of the screen that page.py lays out.

runtime.py holds what the server shares (the verified model family, the error guard,
hidden status markers for tests); session.py what one visitor's session holds (the
session-state keys, the endpoints, the URL).
"""
