"""Custom Streamlit components: the parts of the page that plain st.* elements cannot do fast enough."""
