"""Countries and sectors as a careful reader tags them: each trap of the product contract is a case.

The texts are small made-up stories in Hindi, English and Russian.
"""

import pytest

from digest.countries import gazetteer
from digest.extract import extract
from digest.matching import tokenize, word_forms
from digest.tagging import tag


def codes_in(text: str) -> set[str]:
    return {m.entry.payload.code for m in gazetteer().find(text)} - {"-"}


def tags_of(text: str):
    return tag(extract(text))


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # one name inside another
        ("Romania and Romanian officials", {"RO"}, {"OM"}),
        ("Румыния и румынские компании", {"RO"}, {"OM"}),
        ("रोमानिया के अधिकारी", {"RO"}, {"OM"}),
        ("Somalia and the Somali coast", {"SO"}, {"ML"}),
        ("у побережья Сомали", {"SO"}, {"ML"}),
        ("सोमालिया के तट पर", {"SO"}, {"ML"}),
        ("Nigeria and Nigerian farmers", {"NG"}, {"NE"}),
        ("Нигерия и нигерийской компании", {"NG"}, {"NE"}),
        ("नाइजीरिया के किसान", {"NG"}, {"NE"}),
        ("in the US state of Indiana", {"US"}, {"IN"}),
        # seas and oceans are not their namesakes
        ("patrols in the Indian Ocean", set(), {"IN"}),
        ("a free and open Indo-Pacific", set(), {"IN"}),
        ("हिंद महासागर और हिंद-प्रशांत क्षेत्र", set(), {"IN"}),
        ("в Индийском океане", set(), {"IN"}),
        ("disputes in the South China Sea", set(), {"CN"}),
        ("दक्षिण चीन सागर में", set(), {"CN"}),
        ("в Южно-Китайском море", set(), {"CN"}),
        ("в дельте реки Нигер", set(), {"NE"}),
        # abbreviations are written in capitals; a company's initials are not a country
        ("let us meet", set(), {"US"}),
        ("the US and the UAE", {"US", "AE"}, set()),
        # Russian word forms
        ("сотрудничество России с Китаем", {"RU", "CN"}, set()),
        ("вместе с Россией и Индией", {"RU", "IN"}, set()),
        ("делегация Индии", {"IN"}, set()),
        ("министр Узбекистана в Казахстане", {"UZ", "KZ"}, set()),
        ("Кроме того, в том числе", set(), {"TG"}),
        ("с Великобританией и США", {"GB", "US"}, {"VG", "VI", "UM"}),  # not CLDR's "Виргинские о-ва (Великобритания)"
        ("exporters in İzmir and Istanbul", {"TR"}, set()),
        # prefixes, demonyms, transliterations, places and organisations
        ("Sino-Russian and Indo-Japanese ties", {"CN", "RU", "IN", "JP"}, set()),
        ("साइनो-रूसी संबंध", {"CN", "RU"}, set()),
        ("российско-индийский форум", {"RU", "IN"}, set()),
        ("रशियन विश्वविद्यालय और भारतीय छात्र", {"RU", "IN"}, set()),
        ("यूएई और यूएस", {"AE", "US"}, set()),
        ("मॉस्को, नोवोसिबिर्स्क और कज़ान", {"RU"}, set()),
        ("उत्तर प्रदेश, लखनऊ और आगरा", {"IN"}, set()),
        ("Kazan, Tatarstan and Bashkortostan", {"RU"}, set()),
        ("Tashkent, Fergana, Jizzakh and Surkhandaryo", {"UZ"}, set()),
        ("Rosatom and ISRO", {"RU", "IN"}, set()),
    ],
)
def test_country_forms(text, present, absent):
    found = codes_in(text)
    assert present <= found, f"missing {present - found}"
    assert not (absent & found), f"wrongly found {absent & found}"


def test_devanagari_words_are_not_split_at_vowel_signs():
    assert tokenize("मॉस्को में प्रतिनिधिमंडल").texts == ["मॉस्को", "में", "प्रतिनिधिमंडल"]


def test_russian_words_keep_every_plausible_lemma_but_not_far_fetched_ones():
    assert "парк" in word_forms("парке") and "газ" in word_forms("газу")
    assert "посол" not in word_forms("после")


@pytest.mark.parametrize(
    "text, code, counted",
    [
        ("Meerut sugar mills\n\nThe चीनी मिल in Meerut will make ethanol. चीनी उत्पादन बढ़ेगा।\n", "CN", False),
        (
            "चीनी कंपनियाँ पाकिस्तान में कारख़ाने लगाएँगी\n\n"
            "चीन और पाकिस्तान के बीच समझौता हुआ। चीनी इंजीनियर ग्वादर पहुँचे।\n",
            "CN",
            True,
        ),
        ("कन्नौज में सब्ज़ी उत्पादन\n\nमाली और किसान नर्सरी में काम करते हैं। भारत और इज़राइल के बीच सहयोग।\n", "ML", False),
        ("Food corridor opens\n\nTurkey sliders and roast turkey were served as the UAE and India opened the corridor.\n", "TR", False),
        ("Lithium pact\n\nBy Rebecca Jordan\n\nAustralia and India signed a lithium pact, Chad Whitaker said.\n", "JO", False),
        ("Lithium pact\n\nAustralia and India signed a lithium pact, Chad Whitaker said.\n", "TD", False),
        ("Food corridor\n\nFor us, food security matters, the UAE and India said.\n", "US", False),
        (
            "Tashkent water deal\n\nTashkent signed a memorandum with the Russian firm \"UK Group GMS\" on water supply.\n",
            "GB",
            False,
        ),
        (
            "Jordan and India sign potash deal\n\nAMMAN — Jordan and India signed a potash deal in Amman.\n\n"
            "\"Prices will stay stable,\" said Michael Jordan Smith, a trader. Jordan Smith added that Chad Jordan agreed.\n",
            "JO",
            True,
        ),
    ],
)
def test_words_that_are_also_names_need_context(text, code, counted):
    tags = tags_of(text)
    assert (code in tags.parties + tags.mentions) == counted


@pytest.mark.parametrize(
    "text, parties, mentions",
    [
        (
            "India and Japan sign semiconductor pact\n\n"
            "NEW DELHI — India and Japan signed an agreement on chip supply chains on Monday. "
            "Tokyo will help build two plants in Gujarat.\n\n"
            "Officials said countries like Germany and France had shown interest in similar deals.\n",
            ("IN", "JP"),
            ("DE", "FR"),
        ),
        (
            "भारत और जापान के बीच सेमीकंडक्टर समझौता\n\n"
            "नई दिल्ली। भारत और जापान ने चिप आपूर्ति पर समझौते पर हस्ताक्षर किए। टोक्यो गुजरात में दो संयंत्र लगाने में मदद करेगा।\n\n"
            "अधिकारियों ने कहा कि जर्मनी और फ्रांस जैसे देशों ने भी रुचि दिखाई है।\n",
            ("IN", "JP"),
            ("DE", "FR"),
        ),
        (
            "Россия и Китай подписали соглашение о поставках газа\n\n"
            "МОСКВА — Россия и Китай подписали соглашение о поставках газа по новому маршруту. "
            "Пекин получит первые объемы в 2027 году.\n\n"
            "Интерес к проекту проявили и другие страны, такие как Монголия и Казахстан.\n",
            ("CN", "RU"),
            ("KZ", "MN"),
        ),
        (
            "India-Russia business forum in Dubai signs nine deals\n\n"
            "Indian and Russian companies signed nine agreements at a business forum held in Dubai. "
            "India and Russia agreed to expand trade in fertilisers and medicines.\n\n"
            "Moscow and New Delhi will meet again next year.\n",
            ("IN", "RU"),
            ("AE",),
        ),
        (
            "Invest UP plans roadshows in countries like Japan and Germany\n\n"
            "LUCKNOW — Invest UP, the investment agency of Uttar Pradesh, will hold roadshows in countries like "
            "Japan and Germany after its talks with Russian officials in Moscow.\n\n"
            "The Moscow talks covered industrial parks in Uttar Pradesh for Russian companies.\n",
            ("IN", "RU"),
            ("DE", "JP"),
        ),
        (
            "Russia and Iran agree on gas supplies via Azerbaijan\n\n"
            "Russia and Iran agreed on the first gas deliveries, which will run via Azerbaijan. "
            "Tehran and Moscow will build a new pipeline.\n",
            ("IR", "RU"),
            ("AZ",),
        ),
        (
            "Malaysia eyes halal partnership with Tatarstan at KazanForum\n\n"
            "KAZAN — A Malaysian delegation met officials of Tatarstan at KazanForum to discuss a halal hub. "
            "Malaysia and the Russian region agreed to cooperate on certification.\n",
            ("MY", "RU"),
            (),
        ),
        (
            "लखनऊ में रूसी विश्वविद्यालयों का शिक्षा मेला\n\n"
            "लखनऊ। रूस के बारह विश्वविद्यालयों ने उत्तर प्रदेश के छात्रों के लिए शिक्षा मेला लगाया। "
            "कानपुर और आगरा से भी छात्र पहुँचे।\n",
            ("IN", "RU"),
            (),
        ),
        (
            "Azerbaijan, Georgia and Kazakhstan set up joint logistics company\n\n"
            "BAKU — Azerbaijan, Georgia and Kazakhstan agreed to set up a joint company for the Middle Corridor. "
            "The three countries' railways from Baku, Tbilisi and Astana will run it. Cargo will bypass Russia.\n",
            ("AZ", "GE", "KZ"),
            ("RU",),
        ),
        (
            # "Виргинские о-ва" names the British and the US islands alike: neither is counted.
            "Россия и Куба обсудили туризм\n\n"
            "Россия и Куба договорились о новых рейсах. Рейсы через Виргинские о-ва тоже возможны.\n",
            ("CU", "RU"),
            (),
        ),
    ],
)
def test_parties_and_mentions(text, parties, mentions):
    tags = tags_of(text)
    assert tags.parties == tuple(sorted(parties))
    assert tags.mentions == tuple(sorted(mentions))


@pytest.mark.parametrize(
    "text, tagged, untagged",
    [
        (
            "India and Russia sign fertiliser deal\n\n"
            "India and Russia signed a long-term fertiliser supply deal. Farmers will get urea before sowing.\n\n"
            "The ministers met at a hotel in Moscow.\n",
            {"agriculture"},
            {"culture"},
        ),
        (
            "Chennai–Vladivostok container service starts\n\n"
            "The first ship left Chennai port with containers of engineering goods, granite, rice and medicines.\n\n"
            "Shipping lines expect the corridor to cut transit times.\n",
            {"transport"},
            {"agriculture", "health"},
        ),
        (
            "Invest UP and Moscow hold online meeting\n\n"
            "Invest UP and Moscow officials met online to discuss investment.\n\n"
            "The two sides discussed cooperation in renewable energy, pharmaceuticals and digital technology.\n",
            {"energy", "health", "technology"},
            set(),
        ),
        (
            "Россия и Вьетнам построят центр ядерной науки\n\n"
            "Россия поможет Вьетнаму построить центр ядерной науки и технологий с исследовательским реактором.\n",
            {"science", "energy"},
            {"technology"},
        ),
    ],
)
def test_sectors_need_substantive_coverage(text, tagged, untagged):
    sectors = set(tags_of(text).sectors)
    assert tagged <= sectors, f"missing {tagged - sectors}"
    assert not (untagged & sectors), f"passing words tagged: {untagged & sectors}"
