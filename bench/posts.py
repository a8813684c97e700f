"""What the synthetic members write: plausible progress posts, and the facts storage keeps."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from bot.domain import content

TOPICS = (
    "linear regression from scratch",
    "gradient descent with momentum",
    "the bias-variance trade-off",
    "logistic regression on the Titanic set",
    "decision trees and Gini impurity",
    "random forests in scikit-learn",
    "XGBoost hyper-parameters",
    "k-means and the elbow method",
    "PCA on MNIST",
    "backprop by hand (micrograd)",
    "a tiny MLP in PyTorch",
    "CNNs for CIFAR-10",
    "batch norm vs layer norm",
    "dropout and weight decay",
    "the attention chapter of d2l",
    "scaled dot-product attention",
    "nanoGPT training loop",
    "tokenizers and BPE",
    "fine-tuning BERT on IMDB",
    "LoRA adapters",
    "the Kaggle house prices notebook",
    "feature engineering for tabular data",
    "cross-validation done right",
    "precision, recall and ROC curves",
    "the fast.ai lesson 3 notebook",
    "Andrew Ng's week 4 exercises",
    "time-series forecasting with ARIMA",
    "an RL bandit experiment",
    "diffusion models, the DDPM paper",
    "vector databases and embeddings",
)
VERBS = (
    "Worked through",
    "Read about",
    "Implemented",
    "Reviewed",
    "Studied",
    "Coded up",
    "Finished",
    "Started",
    "Debugged",
    "Took notes on",
)
CLOSERS = (
    "",
    "Took longer than planned but it finally clicked.",
    "Still fuzzy on the math, will revisit tomorrow.",
    "Wrote a short summary in my notes.",
    "Short session today, busy at work.",
    "Plotted the loss curves and they look sane.",
    "Tomorrow: apply it to a real data set.",
    "Tags: ml, notes",
)
LINKS = (
    "https://github.com/{user}/100-days-of-ml/blob/main/day{n}.ipynb",
    "https://colab.research.google.com/drive/1{n}x{user}",
    "https://www.kaggle.com/code/{user}/day-{n}",
    "https://arxiv.org/abs/2{n:03d}.0{n:04d}",
    "https://huggingface.co/{user}/model-day{n}",
    "https://www.youtube.com/watch?v=ml{n}{user}",
)
POOL_SIZE = 4000


@dataclass(frozen=True, slots=True)
class Post:
    """A prepared post text with the facts storage keeps about it."""

    text: str
    words: int
    tags_json: str
    links_json: str
    has_link: bool


def post_text(rng: random.Random, n: int, with_link: bool) -> str:
    """Return a plausible progress post."""
    parts = [f"Day {n}: {rng.choice(VERBS)} {rng.choice(TOPICS)}."]
    closer = rng.choice(CLOSERS)
    if closer:
        parts.append(closer)
    if rng.random() < 0.5:
        parts.append("#100DaysOfMLCode")
    if with_link:
        user = f"learner{rng.randrange(10_000)}"
        parts.append(rng.choice(LINKS).format(user=user, n=rng.randrange(1, 365)))
    return " ".join(parts)


def make_post(text: str) -> Post:
    """Extract words, tags and links exactly as the service layer would."""
    links = content.extract_links(text)
    return Post(
        text=text,
        words=content.count_words(text),
        tags_json=json.dumps(list(content.extract_tags(text)), ensure_ascii=False),
        links_json=json.dumps(
            [{"url": link.url, "kind": link.kind.value} for link in links], ensure_ascii=False
        ),
        has_link=bool(links),
    )


def post_pool(rng: random.Random) -> list[Post]:
    """Return a pool of posts, about 35% of them with a link."""
    return [
        make_post(post_text(rng, rng.randrange(1, 200), rng.random() < 0.35))
        for _ in range(POOL_SIZE)
    ]
