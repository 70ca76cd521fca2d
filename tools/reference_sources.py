"""Sources added by hand to ``sources.csv``, beyond those the reference material cites.

``tools/build_reference.py`` appends these to its ``BASE_SOURCES``. Each entry names
the publication (outlet, date, URL) a value was read from; the estimate markers
(``gbad-est-*``) name how a planning estimate was made. The hand-curated tables
``readiness``, ``retirements`` and ``line_shares`` and the corrections in
``reference_curated.py`` / ``reference_inventory_map.py`` cite them.
"""

from __future__ import annotations

from typing import Any

PRESS = "cited for facts; not redistributed"

ADDED_SOURCES: list[dict[str, Any]] = [
    # ---- estimate markers
    {
        "source_id": "gbad-est-readiness",
        "title": "gbad planning estimate of readiness (share of in-service fire units "
        "available to fight): modern systems in production 0.6-0.9, legacy Western "
        "systems 0.4-0.75, legacy Soviet/Russian systems without Western resupply "
        "0.2-0.6, MANPADS 0.7-0.95; adjusted where a public report gives a fleet's "
        "availability (row notes)",
        "publisher": "gbad",
        "year": 2026,
        "url": "",
        "licence": "CC0-1.0",
    },
    {
        "source_id": "gbad-est-retirement",
        "title": "gbad planning estimate of the year a legacy system leaves service: the "
        "replacement's announced delivery or full-capability year plus 0-2 years where a "
        "replacement is ordered; otherwise the system's age and support situation "
        "(row notes)",
        "publisher": "gbad",
        "year": 2026,
        "url": "",
        "licence": "CC0-1.0",
    },
    {
        "source_id": "gbad-est-line-share",
        "title": "gbad planning estimate of the share of a production line's output open "
        "to the European allies and of the competing demand (USA, Ukraine, others): "
        "from the known customer base of each line (row notes); mid shares sum to 1",
        "publisher": "gbad",
        "year": 2026,
        "url": "",
        "licence": "CC0-1.0",
    },
    # ---- press and official reports
    {
        "source_id": "aerotime-aero-2025-12-23",
        "title": "Spain goes shopping to get four Patriot fire units (USD 1.7bn, "
        "RTX confirmed 23 Dec 2025; Spain operates three batteries of six launchers)",
        "publisher": "AeroTime",
        "year": 2025,
        "url": "https://www.aerotime.aero/articles/spain-goes-shopping-to-get-four-"
        "patriot-fire-units-engine-fans-for-f-18-fleet",
        "licence": PRESS,
    },
    {
        "source_id": "thedefensepost-com-2023-10-06",
        "title": "US Clears $2.8B Patriot Missile Sale to Spain (four Configuration-3+ "
        "fire units, 24 M903 launchers, 4 radars, 51 PAC-3 MSE)",
        "publisher": "The Defense Post",
        "year": 2023,
        "url": "https://www.thedefensepost.com/2023/10/06/us-patriot-sale-spain/",
        "licence": PRESS,
    },
    {
        "source_id": "menafn-com-2024-el-pais-patriot",
        "title": "Spain encounters pressure over supplying missiles to Patriot system "
        "(El Pais via MENAFN: new PAC-3 batteries not available before 2028)",
        "publisher": "MENAFN (El Pais)",
        "year": 2024,
        "url": "https://menafn.com/1108148097/Spain-encounters-pressure-over-supplying-"
        "missiles-to-Patriots-system-amid-Ukraine-catastrophe",
        "licence": PRESS,
    },
    {
        "source_id": "defensa-com-2023-patriot-sustituira-hawk",
        "title": "Como el sistema antiaereo Patriot sustituira al Hawk en el Ejercito de "
        "Tierra (36 triple Hawk launchers in six batteries, 10 ceded to Ukraine; Hawk "
        "planned to 2025, extended to 2030)",
        "publisher": "defensa.com",
        "year": 2023,
        "url": "https://defensa.com/espana/como-sistema-antiaereo-patriot-sustituira-"
        "hawk-ejercito-tierra",
        "licence": PRESS,
    },
    {
        "source_id": "volksfreund-de-2023-hoegl-sanitz",
        "title": "Wehrbeauftragte Eva Hoegl und der Mangel bei der Truppe (12 Patriot "
        "squadrons: 5 at industry for upgrade, 3 in Poland, 2 in Lithuania, 1 in Ukraine)",
        "publisher": "Trierischer Volksfreund",
        "year": 2023,
        "url": "https://www.volksfreund.de/nachrichten/politik/inland/wehrbeauftragte-"
        "eva-hoegl-und-der-mangel-bei-der-truppe_aid-88837461",
        "licence": PRESS,
    },
    {
        "source_id": "24hod-sk-2023-09-28",
        "title": "Bulgarian parliament approves transfer of unserviceable S-300 missiles "
        "to Ukraine (SITA, citing the Kyiv Independent)",
        "publisher": "24hod.sk (SITA)",
        "year": 2023,
        "url": "https://www.24hod.sk/ukrajina-sa-docka-dalsej-vojenskej-pomoci-bulharsky-"
        "parlament-schvalil-presun-nefunkcnych-rakiet-s-300-cl792264.html",
        "licence": PRESS,
    },
    {
        "source_id": "24hod-sk-2026-03-04",
        "title": "Kalinak informoval o meskani dodavok systemov Barak (SITA 4 Mar 2026: "
        "Barak MX deliveries delayed by the Middle East war)",
        "publisher": "24hod.sk (SITA)",
        "year": 2026,
        "url": "https://www.24hod.sk/kalinak-informoval-o-meskani-dodavok-systemov-barak-"
        "slovensko-od-prvych-komponentov-delilo-48-hodin-cl823629.html",
        "licence": PRESS,
    },
    {
        "source_id": "aktuality-sk-2024-11",
        "title": "Zmluva na systemy protivzdusnej obrany je nastavena tak, aby sa meskat "
        "neoplatilo (Kalinak: first parts of the first of six batteries end-2025, full "
        "operational capability early 2026)",
        "publisher": "aktuality.sk",
        "year": 2024,
        "url": "https://www.aktuality.sk/clanok/yiAMLgx/zmluva-na-systemy-protivzdusnej-"
        "obrany-je-nastavena-tak-aby-sa-meskat-neoplatilo-tvrdi-robert-kalinak/",
        "licence": PRESS,
    },
    {
        "source_id": "defence24-pl-2024-12-barak-mx",
        "title": "Slowacja wybrala nastepce S-300 (Israel MOD, 23 Dec 2024: Barak MX "
        "agreement, EUR 560m)",
        "publisher": "Defence24",
        "year": 2024,
        "url": "https://defence24.pl/sily-zbrojne/slowacja-wybrala-nastepce-s-300",
        "licence": PRESS,
    },
    {
        "source_id": "informat-ro-2025-07-10",
        "title": "La Romania investe 2,6 miliardi di euro nella difesa aerea SHORAD-VSHORAD "
        "(contract with Rafael signed)",
        "publisher": "informat.ro",
        "year": 2025,
        "url": "https://informat.ro/it/attualita/la-romania-investe-26-miliardi-di-euro-"
        "nella-difesa-aerea-shorad-vshorad-69957",
        "licence": PRESS,
    },
    {
        "source_id": "telegrafonline-ro-hawk",
        "title": "MApN vrea rachete Hawk (2004 agreement with the Netherlands: eight Hawk "
        "systems and 78 vehicles for EUR 23.5m; Hawk XXI purchase planned)",
        "publisher": "Telegraf (Constanta)",
        "year": 2010,
        "url": "http://www.telegrafonline.ro/mapnul-vrea-rachete-hawk",
        "licence": PRESS,
    },
    {
        "source_id": "zona-militar-com-2025-09",
        "title": "US Army awards Lockheed Martin USD 9.8bn multi-year contract for 1,970 "
        "PAC-3 MSE (FY2024-26); more than 600 interceptors in 2025; 17 operating nations",
        "publisher": "Zona Militar",
        "year": 2025,
        "url": "https://www.zona-militar.com/?p=504868",
        "licence": PRESS,
    },
    {
        "source_id": "thedefensepost-com-2023-02-16",
        "title": "Italy, France Sign SAMP/T Air Defense System Contract (a SAMP/T NG "
        "battery has up to six launchers of eight Aster; 700 Aster missiles for EUR 2bn)",
        "publisher": "The Defense Post",
        "year": 2023,
        "url": "https://www.thedefensepost.com/2023/02/16/italy-france-sampt-air-defense/",
        "licence": PRESS,
    },
    {
        "source_id": "praguemorning-cz-2021-09",
        "title": "Prague to Buy Israeli Air Defense System (SPYDER: four batteries, each with "
        "its own 3D radar, fire command and control and four launchers; CZK 13.69bn)",
        "publisher": "Prague Morning",
        "year": 2021,
        "url": "https://www.praguemorning.cz/prague-to-buy-israeli-air-defense-system/",
        "licence": PRESS,
    },
    {
        "source_id": "israelinsightmagazine-com-2021-10-02",
        "title": "Czech Republic inks $627 million deal for Israeli missile defense system "
        "(JNS, citing Defense News; delivery by 2026)",
        "publisher": "JNS via Israel Insight Magazine",
        "year": 2021,
        "url": "https://israelinsightmagazine.com/2021/10/02/czech-republic-inks-627-million-"
        "deal-for-israeli-missile-defense-system/",
        "licence": PRESS,
    },
    {
        "source_id": "trtdeutsch-com-hisar-o-plus",
        "title": "Tuerkisches Militaer erhaelt heimisches Luftabwehrsystem HISAR O+ (engages at "
        "least nine targets simultaneously; 25 km)",
        "publisher": "TRT Deutsch",
        "year": 2025,
        "url": "https://trtdeutsch.com/news-turkei/turkisches-militar-erhalt-heimisches-"
        "luftabwehrsystem-hisar-o-7743464",
        "licence": PRESS,
    },
    {
        "source_id": "thedefensepost-com-2025-07-28",
        "title": "Denmark VL MICA procurement (two systems, mid-2026; a system has a C2 "
        "vehicle, a 3D radar and three to six vertical launchers of four missiles)",
        "publisher": "The Defense Post",
        "year": 2025,
        "url": "https://www.thedefensepost.com/2025/07/28/denmark-vl-mica-procurement/",
        "licence": PRESS,
    },
    {
        "source_id": "taz-de-mantis",
        "title": "... wird scharf geschossen (Bundeswehr pays about 120 million for two MANTIS "
        "systems)",
        "publisher": "taz",
        "year": None,
        "url": "https://taz.de/!376678",
        "licence": PRESS,
    },
    {
        "source_id": "esut-de-2023-11",
        "title": "Zwei Luftverteidigungssysteme MANTIS an die Slowakei uebergeben (24 Oct 2023; "
        "value about EUR 110m)",
        "publisher": "Europaeische Sicherheit & Technik",
        "year": 2023,
        "url": "https://esut.de/2023/11/meldungen/45404/zwei-luftverteidigungssysteme-mantis-"
        "an-die-slowakei-uebergeben/",
        "licence": PRESS,
    },
    {
        "source_id": "milex-org-2026-01-24",
        "title": "Richiesti altri 2,3 miliardi per le nuove batterie missilistiche SAMP/T (10 NG "
        "batteries, 5 Army and 5 Air Force; first handed to the Army two days before; 2 of the "
        "Army's 5 first-generation batteries sent to Ukraine)",
        "publisher": "Osservatorio Milex",
        "year": 2026,
        "url": "https://www.milex.org/2026/01/24/richiesti-altri-23-miliardi-per-le-nuove-"
        "batterie-missilistiche-samp-t",
        "licence": PRESS,
    },
    {
        "source_id": "difesa-it-2025-09-12",
        "title": "Italian Ministry of Defence press release, 12 Sep 2025 (Denmark chooses SAMP/T "
        "NG; entry into service of SAMP/T NG planned for 2026), as distributed by Public",
        "publisher": "Ministero della Difesa",
        "year": 2025,
        "url": "https://www.pubt.io/view/28792EF3BE45758EA34194C36E6CEC85DFA3D491",
        "licence": PRESS,
    },
]
