"""Pure analytics: DataFrames (or plain values) in, DataFrames out.

No Streamlit, no file paths, no module state; settings arrive as arguments.
"""
