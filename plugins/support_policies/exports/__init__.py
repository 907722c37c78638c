"""Files a policy set publishes besides its pages: ticket downloads, compose links, data.

Everything here is plain Python on the model; the MkDocs plugin and the ``export``
command both put these files into a site.
"""
