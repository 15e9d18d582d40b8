"""Golden tests for who took part, whether it was a summit, and where (issue 9).

Each test is the smallest text that shows one failure class seen on unseen articles; the
leaders named here are chosen outside the gazetteer where the rule under test is a general
one (morphology, grammar, the kind of event), so that the gazetteer cannot hide a broken rule.
"""

from __future__ import annotations

from bot.articles import Article, read_article
from bot.articles.cues import LEADER_TITLE_RE


def _ru(title: str, body: str) -> Article:
    return read_article(title, body, lang="ru")


def _en(title: str, body: str) -> Article:
    return read_article(title, body, lang="en")


# --- people ---------------------------------------------------------------------------------


def test_inflected_gazetteer_name_is_one_person() -> None:
    a = _ru(
        "Визит Касым-Жомарта Токаева",
        "Касым-Жомарта Токаева встретил в аэропорту Владимир Путин. Лидеры провели переговоры.",
    )
    assert sorted(a.participants) == ["Владимир Путин", "Касым-Жомарт Токаев"]


def test_unknown_leader_after_title_and_state_is_put_in_the_nominative() -> None:
    # Djibouti's president is not in the gazetteer: the title, the state, then the name in
    # the instrumental case of the title word
    a = _ru(
        "Беседа с Президентом Джибути",
        "Владимир Путин побеседовал с Президентом Республики Джибути Исмаилом Омаром Гелле.",
    )
    assert a.is_summit
    assert sorted(a.participants) == ["Владимир Путин", "Исмаил Омар Гелле"]


def test_forms_of_one_unknown_name_in_two_cases_are_one_person_without_patronymic() -> None:
    a = _ru(
        "Встреча с Президентом Абхазии",
        "Владимир Путин встретился с Президентом Республики Абхазия Асланом Георгиевичем "
        "Бжанией. Визит Президента Абхазии Аслана Бжании продлится два дня.",
    )
    assert sorted(a.participants) == ["Аслан Бжания", "Владимир Путин"]


def test_name_ends_before_the_initial_of_the_next_speaker() -> None:
    # scraped transcripts glue the next speaker's label to the name: "… Гелле В.Путин: …"
    a = _ru(
        "Беседа с Президентом Джибути",
        "Владимир Путин побеседовал с Президентом Республики Джибути Исмаилом Омаром Гелле "
        "В.Путин: Уважаемый господин Президент!",
    )
    assert "Исмаил Омар Гелле" in a.participants
    assert not any(p.endswith(" В") for p in a.participants)


def test_arabic_name_particles_as_the_text_writes_them_in_the_nominative() -> None:
    # only genitive forms: "Хамада" is Хамад, the undeclined "Тани" is no "Таня"; the text's
    # capitalised "Бен" is kept
    a = _ru(
        "Итоги визита Эмира Государства Катар",
        "Завершился визит Эмира Государства Катар Тамима Бен Хамада Аль Тани. Переговоры "
        "Владимира Путина и Тамима Бен Хамада Аль Тани прошли в Кремле.",
    )
    assert sorted(a.participants) == ["Владимир Путин", "Тамим Бен Хамад Аль Тани"]


def test_two_leaders_with_the_same_given_name_stay_two() -> None:
    a = _ru(
        "Переговоры в Эр-Рияде",
        "Наследный принц Саудовской Аравии Мухаммед бен Сальман провёл переговоры с "
        "Президентом ОАЭ Мухаммедом бен Заидом Аль Нахайяном в Эр-Рияде.",
    )
    assert sorted(a.participants) == ["Мухаммед бен Заид Аль Нахайян", "Мухаммед бен Сальман"]


def test_glossary_pop_up_writing_the_surname_first_is_no_second_person() -> None:
    # kremlin.ru pages inline a pop-up after a name: "Аслан Бжания Бжания Аслан Президент …"
    a = _ru(
        "Переговоры с Президентом Абхазии",
        "Владимир Путин провёл переговоры с Президентом Республики Абхазия Асланом Бжанией. "
        "Аслан Бжания Бжания Аслан Президент Республики Абхазия Стороны обсудили туризм.",
    )
    assert sorted(a.participants) == ["Аслан Бжания", "Владимир Путин"]


def test_a_sheikh_who_met_the_guest_at_the_airport_is_no_participant() -> None:
    # "шейх" is an honorific, and the crown prince of a city (Абу-Даби) leads no state
    a = _ru(
        "Касым-Жомарт Токаев провел переговоры с Президентом ОАЭ",
        "Касым-Жомарт Токаев провел переговоры с Президентом ОАЭ шейхом Мухаммедом бен Заидом "
        "Аль Нахайяном. В аэропорту Главу государства встретил наследный принц Абу-Даби шейх "
        "Халед бен Мухаммед Аль Нахайян.",
    )
    assert sorted(a.participants) == ["Касым-Жомарт Токаев", "Мухаммед бен Заид Аль Нахайян"]
    b = _ru(
        "Касым-Жомарт Токаев прибыл в ОАЭ",
        "В аэропорту Касым-Жомарта Токаева встретил наследный принц Абу-Даби Халед бен "
        "Мухаммед Аль Нахайян. Затем Токаев провел переговоры с Президентом ОАЭ Мухаммедом "
        "бен Заидом Аль Нахайяном.",
    )
    assert sorted(b.participants) == ["Касым-Жомарт Токаев", "Мухаммед бен Заид Аль Нахайян"]


def test_a_company_president_is_no_state_leader() -> None:
    a = _ru(
        "Встреча с Президентом, Председателем правления Сбербанка Германом Грефом",
        "Владимир Путин провёл рабочую встречу с Президентом, Председателем правления ПАО "
        "«Сбербанк» Германом Грефом. Обсуждались итоги работы банка.",
    )
    assert not a.is_summit and a.participants == ()


def test_leaders_met_earlier_or_under_see_also_did_not_take_part() -> None:
    a = _en(
        "Talks with Crown Prince of Saudi Arabia Mohammed bin Salman Al Saud",
        "Vladimir Putin held talks with Crown Prince of Saudi Arabia Mohammed bin Salman Al "
        "Saud See also Meeting with President of the United Arab Emirates Mohamed bin Zayed "
        "Al Nahyan December 6, 2023. December 6, 2023 Riyadh Earlier today, the President of "
        "Russia held talks with UAE President Mohamed bin Zayed Al Nahyan in Abu Dhabi.",
    )
    assert sorted(a.participants) == ["Mohammed bin Salman Al Saud", "Vladimir Putin"]


def test_a_fathers_name_is_no_mention_of_the_king() -> None:
    # "bin Salman" names the Crown Prince's father; the King is only greeted in the speech
    a = _en(
        "Talks with Crown Prince of Saudi Arabia Mohammed bin Salman Al Saud",
        "Vladimir Putin held talks with Crown Prince Mohammed bin Salman Al Saud. Mohammed bin "
        "Salman Al Saud thanked the guest.\nVladimir Putin: Please convey my best wishes to "
        "King Salman.",
    )
    assert sorted(a.participants) == ["Mohammed bin Salman Al Saud", "Vladimir Putin"]


def test_a_leader_only_spoken_of_in_the_transcript_did_not_take_part() -> None:
    a = _ru(
        "Переговоры с Президентом Ирана",
        "В Кремле прошли переговоры Владимира Путина с Президентом Ирана Масудом Пезешкианом. "
        "В.Путин: Мы с Президентом Трампом это обсуждали. Президент Трамп согласился. "
        "М.Пезешкиан (как переведено): Спасибо.",
    )
    assert sorted(a.participants) == ["Владимир Путин", "Масуд Пезешкиан"]


def test_english_monarch_by_one_name_and_a_park_named_after_him() -> None:
    a = _en(
        "Fact sheet: Results of the bilateral meeting",
        "President Biden met in Jeddah with King Salman and Crown Prince Mohammed bin Salman. "
        "They toured King Salman Park.",
    )
    assert sorted(a.participants) == ["Joe Biden", "King Salman", "Mohammed bin Salman"]
    # a king's name on an airport and a park names no one who took part
    b = _en(
        "Fact sheet: President Trump secures deals in Saudi Arabia",
        "President Trump held talks in Riyadh on deals. Firms will build King Salman "
        "International Airport and King Salman Park.",
    )
    assert b.participants == ("Donald Trump",)


def test_english_title_of_a_state_then_the_name() -> None:
    # "President of the Republic of Ghana …": the name starts after the state
    a = _en(
        "Russian-Ghanaian talks",
        "Vladimir Putin held talks with President of the Republic of Ghana John Dramani "
        "Mahama. The leaders discussed the port.",
    )
    assert sorted(a.participants) == ["John Dramani Mahama", "Vladimir Putin"]
    # a state the gazetteer does not know is one word; the name follows it
    b = _en(
        "Russian-Djiboutian talks",
        "Vladimir Putin held talks with President of Djibouti Ismail Omar Guelleh. The "
        "leaders discussed the port.",
    )
    assert sorted(b.participants) == ["Ismail Omar Guelleh", "Vladimir Putin"]


def test_english_name_after_the_title_stops_at_of_country_and_possessive() -> None:
    a = _en(
        "Readout of President Biden’s Meeting with Prime Minister Rutte of the Netherlands",
        "President Biden met today with Prime Minister Mark Rutte of the Netherlands. "
        "Prime Minister Mark Rutte’s visit follows the NATO summit.",
    )
    assert sorted(a.participants) == ["Joe Biden", "Mark Rutte"]


def test_deputies_are_not_leaders() -> None:
    assert LEADER_TITLE_RE.search("Vice President Harris") is None
    assert LEADER_TITLE_RE.search("вице-премьер Оверчук") is None
    assert LEADER_TITLE_RE.search("Премьер-министр Индии") is not None
    a = _en(
        "Talks with President of Kenya",
        "President Biden and Vice President Kamala Harris held talks with President William "
        "Ruto of Kenya. Vice President Kamala Harris hosted a lunch.",
    )
    assert sorted(a.participants) == ["Joe Biden", "William Ruto"]


# --- was it a summit ------------------------------------------------------------------------


def test_conversation_with_a_foreign_head_of_state_is_a_summit() -> None:
    a = _ru(
        "Беседа с Президентом Монголии",
        "В Кремле состоялась беседа Владимира Путина с Президентом Монголии Ухнаагийном "
        "Хурэлсухом.",
    )
    assert a.is_summit
    assert sorted(a.participants) == ["Владимир Путин", "Ухнаагийн Хурэлсух"]
    # a leader's site heads the item "Встреча с …": the host is the site's own leader
    b = _ru(
        "Встреча с Президентом Монголии Ухнаагийном Хурэлсухом",
        "Обсуждались вопросы двустороннего сотрудничества.",
    )
    assert b.is_summit


def test_leader_meeting_a_businessman_is_not_a_summit() -> None:
    a = _ru(
        "Макрон встретился с Илоном Маском",
        "Президент Франции Эммануэль Макрон встретился с Илоном Маском в Елисейском дворце. "
        "Они обсудили инвестиции.",
    )
    assert not a.is_summit and a.participants == ()


def test_a_leader_meeting_his_own_prime_minister_is_not_a_summit() -> None:
    a = _ru(
        "Встреча с Председателем Правительства Михаилом Мишустиным",
        "Владимир Путин провёл рабочую встречу с Председателем Правительства Михаилом "
        "Мишустиным. Владимир Путин встретился с Михаилом Мишустиным второй раз за неделю.",
    )
    assert not a.is_summit


def test_meeting_with_a_leader_held_by_a_non_leader_is_not_a_summit() -> None:
    a = _en(
        "Federal Reserve holds rates steady",
        "The Federal Reserve held rates steady. Fed Chair Jerome Powell met with President "
        "Trump at the White House last week.",
    )
    assert not a.is_summit


def test_phone_call_is_not_a_summit() -> None:
    a = _en(
        "Readout of President Biden’s Call with Prime Minister Trudeau of Canada",
        "President Biden and Prime Minister Justin Trudeau of Canada held talks on trade.",
    )
    assert not a.is_summit
    b = _ru(
        "Телефонный разговор с Президентом Франции",
        "Владимир Путин и Президент Франции Эммануэль Макрон провели переговоры.",
    )
    assert not b.is_summit


def test_ministry_statement_quoting_a_president_is_not_a_summit() -> None:
    a = _ru(
        "Госдеп заявил о непризнании новых территорий",
        "Госдепартамент США заявил, что Вашингтон не признает новые территории России. "
        "Президент США Джо Байден ранее говорил о переговорах с Москвой.",
    )
    assert not a.is_summit and a.participants == ()
    b = _en(
        "Statement by Secretary of State Antony Blinken",
        "The Department of State welcomes the agreement. As President Biden said, talks with "
        "our partners will continue. President Biden held talks with President Zelenskyy.",
    )
    assert not b.is_summit


def test_two_leaders_signing_documents_without_a_list_is_a_summit() -> None:
    a = _ru(
        "Документы подписаны в Кремле",
        "Владимир Путин и Президент Узбекистана Шавкат Мирзиёев подписали пакет документов. "
        "Церемония прошла в Кремле.",
    )
    assert a.is_summit
    assert sorted(a.participants) == ["Владимир Путин", "Шавкат Мирзиёев"]


def test_fact_sheet_about_hosting_a_foreign_leader_is_a_summit() -> None:
    a = _en(
        "FACT SHEET: President Biden Hosts President Ruto of Kenya",
        "Today, President Biden welcomed President William Ruto of Kenya to the White House. "
        "The two leaders announced new initiatives on health.",
    )
    assert a.is_summit
    assert sorted(a.participants) == ["Joe Biden", "William Ruto"]


def test_a_meeting_still_to_come_is_not_a_summit() -> None:
    a = _ru(
        "Песков прокомментировал грядущую встречу Путина и Лукашенко",
        "Грядущая встреча президентов России и Белоруссии Владимира Путина и Александра "
        "Лукашенко пока не согласована.",
    )
    assert not a.is_summit


def test_talks_as_a_topic_are_not_a_summit() -> None:
    a = _ru(
        "Лукашенко оценил готовность Украины к переговорам с Россией",
        "Президент Белоруссии Александр Лукашенко оценил готовность Украины к переговорам "
        "с Россией.",
    )
    assert not a.is_summit


def test_ministers_talks_preparing_a_visit_are_not_a_summit() -> None:
    a = _ru(
        "Лавров провёл переговоры с министром иностранных дел Турции",
        "Министр иностранных дел России Сергей Лавров провёл переговоры с министром "
        "иностранных дел Турции Хаканом Фиданом. Стороны обсудили подготовку визита "
        "Президента Турции Реджепа Тайипа Эрдогана в Россию.",
    )
    assert not a.is_summit


def test_ministers_talks_are_not_a_summit() -> None:
    a = _ru(
        "Шойгу прибыл на переговоры с министром обороны Белоруссии",
        "Глава Минобороны России Сергей Шойгу прибыл в Минск, где пройдут его переговоры с "
        "белорусским коллегой Виктором Хрениным. Руководители ведомств в ходе переговоров "
        "обсудят сотрудничество.",
    )
    assert not a.is_summit


# --- where ----------------------------------------------------------------------------------

_LATER_CITY = (
    " Стороны договорились построить в Душанбе пять школ. В Душанбе откроется центр."
    " Следующее заседание пройдёт в Душанбе."
)


def test_dateline_decides_over_cities_named_in_the_speech() -> None:
    a = _ru(
        "Владимир Путин и Эмомали Рахмон сделали заявления для СМИ",
        "17 марта 2025 года 17:45 Москва, Кремль Владимир Путин и Эмомали Рахмон сделали "
        "заявления для СМИ В.Путин: Наши переговоры прошли успешно. Сегодня в Душанбе "
        "открылась школа. Ещё одна школа откроется в Душанбе. Саммит СНГ пройдёт в Душанбе.",
    )
    assert a.place == "Москва"


def test_the_kremlin_is_moscow() -> None:
    a = _ru(
        "Российско-таджикистанские переговоры",
        "В Кремле прошли переговоры Владимира Путина с Президентом Таджикистана Эмомали "
        "Рахмоном." + _LATER_CITY,
    )
    assert a.place == "Москва"
    b = _en(
        "Russian-Tajikistani talks",
        "Vladimir Putin held talks in the Kremlin with President of Tajikistan Emomali Rahmon. "
        "The sides agreed to build five schools in Dushanbe. A centre will open in Dushanbe. "
        "The next meeting will take place in Dushanbe.",
    )
    assert b.place == "Moscow"


def test_the_city_of_the_meeting_verb_decides_over_later_mentions() -> None:
    a = _ru(
        "Казахстанско-таджикские переговоры",
        "Переговоры Касым-Жомарта Токаева и Эмомали Рахмона прошли в Астане." + _LATER_CITY,
    )
    assert a.place == "Астана"
    assert sorted(a.participants) == ["Касым-Жомарт Токаев", "Эмомали Рахмон"]
