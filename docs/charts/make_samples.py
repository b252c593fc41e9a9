"""Render every chart to docs/charts/ for a visual check (not part of the app).

Usage: .venv/bin/python docs/charts/make_samples.py [OUTPUT_DIR]
Writes samples.html (every chart inline) and, when pdftoppm is installed, samples.png:
the page as WeasyPrint renders it for a PDF report.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cxaudit import charts

RU_DOMAINS = [
    ("Стратегия", 72.5),
    ("Измерение", 43.75),
    ("Сотрудники", None),
    ("Ожидания клиентов", 18.0),
    ("Стандарты обслуживания и скрипты", 64.0),
    ("Обратная связь", 88.3),
]
MANY_RU = [
    "Стратегия",
    "Измерение",
    "Сотрудники",
    "Ожидания клиентов",
    "Стандарты обслуживания",
    "Обратная связь",
    "Управление жалобами",
    "Культура",
    "Лидерство",
    "Каналы",
    "Технологии",
    "Процессы",
    "Клиентский путь",
    "Персонализация",
    "Аналитика",
    "Обучение персонала",
    "Мотивация",
    "Коммуникации",
    "Бренд",
    "Цифровые сервисы",
    "Скорость реакции",
    "Постпродажное обслуживание",
    "Лояльность",
    "Партнёры",
]
LEVELS = charts.maturity_bands(
    ["Реактивный", "Начальный", "Определённый", "Управляемый", "Клиентоцентричный"]
)


def samples() -> dict[str, str]:
    many = [(name, (i * 37) % 101 if i % 7 != 5 else None) for i, name in enumerate(MANY_RU)]
    return {
        "radar_ru": charts.radar_chart(
            RU_DOMAINS,
            title="Зрелость по доменам",
            series2=[80.0, 50.0, 61.0, None, 70.0, 52.5],
            series_labels=("Консультант", "Сотрудники"),
            bands=charts.MATURITY_BANDS,
            missing_label="Недостаточно данных",
        ),
        "radar_many": charts.radar_chart(
            many, title="24 домена", size=560, missing_label="Недостаточно данных"
        ),
        "radar_three": charts.radar_chart(
            [("Strategy", 55.0), ("People", 120.0), ("<script>alert(1)</script>", -5.0)],
            title="Three axes",
            size=360,
        ),
        "bar_ru": charts.bar_chart(
            [*RU_DOMAINS, ("Выше шкалы", 130.0)],
            title="Баллы по доменам",
            bands=LEVELS,
        ),
        "gap_ru": charts.gap_chart(
            [
                ("M1 Приветствие в течение 3 секунд", 100.0, 0.0),
                ("M2 Знание продукта", 75.0, 25.0),
                ("M3 Скорость ответа", 70.0, 50.0),
                ("M4 Работа с жалобами", 16.7, 100.0),
                ("M5 Нет данных", None, 40.0),
            ],
            title="Самооценка и консультант",
            labels=("Сотрудники", "Консультант"),
            flags=[charts.BLIND_SPOT, charts.BLIND_SPOT, None, charts.HIDDEN_STRENGTH, None],
            flag_labels={
                charts.BLIND_SPOT: "Слепая зона",
                charts.HIDDEN_STRENGTH: "Скрытая сила",
            },
        ),
        "nps_distribution": charts.distribution_chart(
            {0: 3, 1: 1, 3: 2, 5: 6, 6: 10, 7: 14, 8: 18, 9: 40, 10: 35},
            title="NPS answers",
            scale=range(11),
            colours=charts.NPS_COLOURS,
            legend=[
                ("Detractors 0-6", "detractor"),
                ("Passives 7-8", "passive"),
                ("Promoters 9-10", "promoter"),
            ],
        ),
        "csat_distribution": charts.distribution_chart(
            [("★", 7), ("★★", 9), ("★★★", 14), ("★★★★", 36), ("★★★★★", 54)],
            title="CSAT",
            colours={"★" * n: f"level{n}" for n in range(1, 6)},
            width=360,
        ),
        "trend_nps": charts.trend_chart(
            [
                ("Q1 2024", 12.0, -2.0, 26.0),
                ("Q2 2024", 20.5, 8.0, 33.0),
                ("Q3 2024", None, None, None),
                ("Q4 2024", 45.0, 33.8, 56.2),
                ("Q1 2025", 36.0, 25.0, 47.0),
                ("Q2 2025", 52.0, None, None),
                ("Q3 2025", -8.0, -20.0, 4.0),
                ("Волна 8 длинное название", 61.0, 50.0, 72.0),
            ],
            title="NPS по волнам",
            y_range=(-100, 100),
            significant=[False, False, False, True, False, False, True, True],
            band_lines=[(0, "0 Критично"), (30, "30 Хорошо"), (50, "50 Отлично")],
            significant_label="Значимое изменение (95%)",
            interval_label="95% интервал",
        ),
        "stacked_nps": charts.stacked_share_bar(
            [
                ("Промоутеры", 130, "promoter"),
                ("Нейтралы", 30, "passive"),
                ("Критики", 40, "detractor"),
            ],
            title="NPS 45.0",
        ),
        "stacked_levels": charts.stacked_share_bar(
            [(f"Level {n}", n * 3 - 2, f"level{n}") for n in range(1, 6)], title="Levels"
        ),
        "empty": charts.bar_chart([], title="Empty", empty_text="Нет данных"),
    }


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    out.mkdir(parents=True, exist_ok=True)
    sections = [
        f'<section><h2>{name}</h2>\n<div class="chart">{svg}</div></section>'
        for name, svg in samples().items()
    ]
    page = (
        '<!doctype html>\n<html lang="ru"><head><meta charset="utf-8">'
        "<title>CX Audit charts</title><style>"
        "@page{size:1200px 1800px;margin:12px}"
        "body{font-family:'DejaVu Sans',sans-serif;margin:0}"
        "main{display:grid;grid-template-columns:1fr 1fr;gap:12px}"
        "h2{font-size:13px;margin:0 0 4px}.chart{border:1px solid #e4e7eb}"
        "</style></head><body><main>\n" + "\n".join(sections) + "\n</main></body></html>\n"
    )
    (out / "samples.html").write_text(page, encoding="utf-8")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm not found: wrote samples.html only")
        return
    from weasyprint import HTML

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "samples.pdf"
        HTML(string=page).write_pdf(pdf)
        command = [pdftoppm, "-png", "-r", "80", "-singlefile", str(pdf), str(out / "samples")]
        subprocess.run(command, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
