"""The chat app's parts that are not Streamlit calls.

Interface strings, citation views, documents, history, the chat session (`chat.py`), drafts with footnotes
(`draft.py`), uploads and feedback.

`app_streamlit.py` stays a thin layer of widgets; everything here is plain Python that tests can call directly.
"""
