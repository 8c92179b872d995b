"""Pages of 投产达效: agreements.py (履约) and evaluation.py (亩均效益评价)."""
