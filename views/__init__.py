"""The dashboard's pages (one layout file each) and the Streamlit glue they share.

Not Streamlit's `pages/` folder: app.py lists the pages with st.navigation, which keeps one
session across them; the folder's auto-discovery would only add a second, conflicting menu.
"""
