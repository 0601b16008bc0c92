"""What every copkg page shares, one concern per module (pages import what they use by name).

- :mod:`views.ui.lang`      the reader's language: ``tr("app.key", **values)``, ``label_of``
- :mod:`views.ui.show`      showing text safely: ``md``, ``page_header``, ``show_error``, banners
- :mod:`views.ui.store`     the one shared store: ``get_kg``, ``data_version``, ``after_import``
- :mod:`views.ui.url`       the view as URL parameters: ``UrlState``, ``init_widget``
- :mod:`views.ui.choice`    the filters as plain values: ``FilterChoice``, ``filter_params``
- :mod:`views.ui.cache`     cached core calls: ``projection``, ``measures_table``,
  ``filter_options``
- :mod:`views.ui.widgets`   sidebar widgets: ``filter_widgets``, ``pick_projection``,
  ``projection_or_stop``
- :mod:`views.ui.nodes`     names of nodes: ``node_label``, ``node_options``, ``resolve_node``
- :mod:`views.ui.maps`      maps on a page: ``draw_map``, ``show_map``, ``map_html_cached``
- :mod:`views.ui.downloads` ``download_csv``, ``download_json``

Arrows point down: ``lang`` ← ``show`` ← ``store``/``url`` ← ``cache`` ← ``widgets``/``maps``.
``graph/`` never imports streamlit; this package is the only glue.
"""
