"""The charts' shared look; each topic's figures live in core/topics/<topic>/charts.py (pure functions,
data in → plotly Figure out).

Shared look: `CLASS_COLORS` for class-coloured points and lines, `style(fig)` for margins/fonts.
"""
import plotly.graph_objects as go

# Colour-blind-safe (Okabe-Ito) first, then Plotly's defaults for up to 10 classes.
CLASS_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                "#D55E00", "#F0E442", "#000000", "#8C564B", "#7F7F7F"]


def style(fig: go.Figure, height: int = 360, title: str | None = None) -> go.Figure:
    """Apply the playground's compact layout (tight margins, readable on a projector)."""
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40 if title else 10, b=10),
                      title=title, font=dict(size=14), template="plotly_white",
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return fig
