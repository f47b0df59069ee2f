"""The page's sections: each function draws one part of the screen that app.py lays out.

common.py holds what they share (the cached model family, hidden status markers
for tests, the endpoints in session state, the error guard).
"""
