"""Slugs read well in ASCII: Hindi transliterated as Hindi is read."""

import pytest

from digest.slugs import make_slug


@pytest.mark.parametrize(
    "title, slug",
    [
        ("साइनो-रूसी संबंधों में एक नया अध्याय", "saino-rusi-sambandhon-men-ek-naya-adhyay"),
        ("भारत-रूस वार्षिक सम्मेलन", "bharat-rus-varshik-sammelan"),
        ("Сотрудничество России и Индии", "sotrudnichestvo-rossii-i-indii"),
        ("III Forum of Interregional Cooperation", "iii-forum-of-interregional-cooperation"),
        ("!!!", "story"),
        # Long titles are cut at a word, and not after a word that leads nowhere ("v").
        (
            "India and Russia sign a long agreement on cooperation in nuclear energy and space research",
            "india-and-russia-sign-a-long-agreement-on-cooperation-in-nuclear",
        ),
        (
            "Россия и Индия подписали соглашение о сотрудничестве в области ядерной энергетики",
            "rossiia-i-indiia-podpisali-soglashenie-o-sotrudnichestve",
        ),
    ],
)
def test_slug(title, slug):
    assert make_slug(title) == slug


def test_slugs_are_ascii_and_short():
    slug = make_slug("लघु उद्योग भारती की रूसी प्रतिनिधियों से शैक्षिक, संस्थागत और औद्योगिक सहयोग बढ़ाने पर चर्चा")
    assert slug.isascii() and len(slug) <= 64 and "%" not in slug
