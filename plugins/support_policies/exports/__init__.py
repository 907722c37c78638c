"""Files a policy set publishes besides its pages: ticket downloads, compose links, data.

Everything here is plain Python on the model, below ``render``: the pages show and link to
these files. The MkDocs plugin and the ``export`` command both put them into a site.
"""
