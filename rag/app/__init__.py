"""The chat app's parts that are not Streamlit calls: interface strings, citation views, documents, history.

`app_streamlit.py` stays a thin layer of widgets; everything here is plain Python that tests can call directly.
"""
