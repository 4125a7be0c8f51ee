"""Words that signal a violation, a perpetrator, a role or a sex, in English, Spanish and Chinese.

Codes are those of the project's vocabularies (src/solidarity/vocab/data). The
patterns are written for recall; the trained model and the reviewer decide.
English and Spanish patterns match at word starts, case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# violation code -> {language: [regex, ...]}
VIOLATIONS: dict[str, dict[str, list[str]]] = {
    "killing": {
        "en": [
            r"killed",
            r"murder(?:ed|s)?",
            r"shot dead",
            r"gunned down",
            r"assassinat\w*",
            r"slain",
            r"killing of",
            r"found dead",
            r"bod(?:y|ies) (?:of|was|were)",
            r"executed",
            r"extrajudicial",
            r"lynch\w*",
            r"beheaded",
            r"hacked to death",
        ],
        "es": [
            r"asesinad[oa]s?",
            r"asesinato",
            r"mataron",
            r"matad[oa]",
            r"ejecutad[oa]s?",
            r"sin vida",
            r"cuerpo sin vida",
            r"homicidio",
        ],
        "zh": [r"杀害", r"遇害", r"被杀", r"枪杀", r"谋杀", r"身亡", r"处决", r"遇刺"],
    },
    "femicide": {
        "en": [r"femicide", r"feminicide", r"honou?r killing"],
        "es": [r"feminicidio", r"femicidio"],
        "zh": [r"杀害女性"],
    },
    "attempted_killing": {
        "en": [r"attempted murder", r"assassination attempt", r"attempt on (?:his|her|their) li"],
        "es": [r"intento de asesinato", r"atentado contra"],
        "zh": [r"暗杀未遂", r"谋杀未遂"],
    },
    "torture": {
        "en": [r"tortur\w*"],
        "es": [r"tortur\w*"],
        "zh": [r"酷刑", r"折磨"],
    },
    "enforced_disappearance": {
        "en": [
            r"enforced disappearance",
            r"forcibly disappeared",
            r"disappeared",
            r"whereabouts (?:remain |are |is )?unknown",
            r"missing since",
        ],
        "es": [r"desaparici[oó]n forzada", r"desaparecid[oa]s?", r"paradero desconocido"],
        "zh": [r"强迫失踪", r"失踪", r"下落不明"],
    },
    "arrest": {
        "en": [
            r"arrest(?:ed|s|ing)?",
            r"detained",
            r"detention",
            r"taken into custody",
            r"apprehended",
            r"rounded up",
            r"picked up by",
        ],
        "es": [
            r"detenid[oa]s?",
            r"detuvo",
            r"detuvieron",
            r"detenci[oó]n",
            r"arrestad[oa]s?",
            r"arresto",
            r"capturad[oa]s?",
        ],
        "zh": [r"逮捕", r"拘留", r"抓捕", r"被捕", r"刑拘", r"羁押", r"拘押"],
    },
    "detention_imprisonment": {
        "en": [
            r"jailed",
            r"imprison\w*",
            r"sentenced to",
            r"remanded",
            r"behind bars",
            r"in custody",
            r"prison sentence",
        ],
        "es": [r"encarcelad[oa]s?", r"condenad[oa]s? a", r"prisi[oó]n preventiva"],
        "zh": [r"监禁", r"判处", r"入狱", r"关押", r"判刑"],
    },
    "house_arrest": {
        "en": [r"house arrest"],
        "es": [r"arresto domiciliario", r"prisi[oó]n domiciliaria"],
        "zh": [r"软禁"],
    },
    "residential_surveillance_designated_location": {
        "en": [r"residential surveillance"],
        "es": [r"vigilancia residencial"],
        "zh": [r"指定居所监视居住"],
    },
    "kidnapping_abduction": {
        "en": [r"kidnap\w*", r"abduct\w*", r"seized by (?:gunmen|unknown)", r"hostage"],
        "es": [r"secuestr\w*", r"raptad[oa]s?", r"privad[oa]s? de (?:la|su) libertad"],
        "zh": [r"绑架", r"劫持"],
    },
    "physical_assault": {
        "en": [
            r"beaten",
            r"assault(?:ed)?",
            r"attacked",
            r"injur\w*",
            r"beat (?:him|her|them)",
            r"wounded",
            r"stabbed",
            r"tear gas",
        ],
        "es": [r"golpead[oa]s?", r"agredid[oa]s?", r"agresi[oó]n", r"herid[oa]s?", r"atacad[oa]s?"],
        "zh": [r"殴打", r"袭击", r"打伤", r"受伤"],
    },
    "rape": {
        "en": [r"raped", r"rape of"],
        "es": [r"violad[ao] sexualmente", r"violaci[oó]n sexual"],
        "zh": [r"强奸"],
    },
    "sexual_assault": {
        "en": [r"sexually assaulted", r"sexual assault", r"sexual violence"],
        "es": [r"agresi[oó]n sexual", r"violencia sexual"],
        "zh": [r"性侵", r"性暴力"],
    },
    "death_threat": {
        "en": [r"death threats?", r"threat(?:ened|s)? to kill"],
        "es": [r"amenazas? de muerte", r"amenazad[oa]s? de muerte"],
        "zh": [r"死亡威胁", r"威胁要杀"],
    },
    "threat": {
        "en": [r"threaten\w*", r"threats"],
        "es": [r"amenaz\w*"],
        "zh": [r"威胁", r"恐吓"],
    },
    "intimidation": {
        "en": [r"intimidat\w*"],
        "es": [r"intimidaci[oó]n", r"intimidad[oa]s?"],
        "zh": [r"恐吓", r"施压"],
    },
    "harassment": {
        "en": [r"harass(?:ed|ing)", r"harassment of"],
        "es": [r"hostigamiento", r"hostigad[oa]s?", r"acosad[oa]s?"],
        "zh": [r"骚扰"],
    },
    "surveillance_stalking": {
        "en": [r"under surveillance", r"followed by", r"stalk\w*"],
        "es": [r"bajo vigilancia", r"seguimientos?"],
        "zh": [r"跟踪", r"监控"],
    },
    "smear_campaign": {
        "en": [r"smear\w*", r"defam\w*", r"vilif\w*"],
        "es": [r"campaña de desprestigio", r"difamaci[oó]n", r"estigmatizaci[oó]n"],
        "zh": [r"抹黑", r"诽谤", r"污名"],
    },
    "labelling_as_foreign_agent_traitor_terrorist": {
        "en": [r"foreign agents?", r"traitors?", r"terrorists? label"],
        "es": [r"agentes? extranjeros?", r"traidor\w*"],
        "zh": [r"境外势力", r"外国代理人", r"汉奸"],
    },
    "judicial_harassment": {
        "en": [
            r"charged with",
            r"indicted",
            r"prosecut\w*",
            r"on charges",
            r"convicted",
            r"trial",
            r"accused of",
            r"criminal case",
            r"subversion",
            r"sedition",
        ],
        "es": [
            r"acusad[oa]s? de",
            r"procesad[oa]s?",
            r"imputad[oa]s?",
            r"juicio",
            r"criminalizaci[oó]n",
        ],
        "zh": [r"起诉", r"指控", r"审判", r"颠覆", r"寻衅滋事"],
    },
    "summons_interrogation": {
        "en": [r"summoned", r"interrogat\w*", r"questioned by"],
        "es": [r"citad[oa]s? a declarar", r"interrogad[oa]s?", r"interrogatorio"],
        "zh": [r"传唤", r"约谈", r"审讯", r"喝茶"],
    },
    "travel_restriction_ban": {
        "en": [
            r"travel ban",
            r"barred from (?:leaving|travell?ing)",
            r"prevented from (?:leaving|travell?ing)",
            r"passport (?:was |were )?confiscated",
        ],
        "es": [r"prohibici[oó]n de (?:salida|viajar)", r"impedid[oa]s? de (?:salir|viajar)"],
        "zh": [r"禁止出境", r"限制出境", r"边控"],
    },
    "raid_search_confiscation": {
        "en": [
            r"raid(?:ed|s)?",
            r"searched (?:the|her|his|their)",
            r"confiscat\w*",
            r"seized (?:the|her|his|their)",
        ],
        "es": [r"allanamiento", r"allanad[oa]s?", r"registrad[oa]s?", r"incautad[oa]s?"],
        "zh": [r"搜查", r"抄家", r"没收"],
    },
    "dismissal_from_employment": {
        "en": [r"fired from", r"dismissed from", r"lost (?:his|her) job", r"sacked"],
        "es": [r"despedid[oa]s?"],
        "zh": [r"解雇", r"开除"],
    },
    "disbarment": {
        "en": [r"disbarred", r"licen[cs]e (?:was |were )?(?:revoked|suspended)"],
        "es": [r"inhabilitad[oa]s?", r"licencia (?:revocada|suspendida)"],
        "zh": [r"吊销", r"律师执照"],
    },
    "exile_deportation": {
        "en": [r"deport\w*", r"forced into exile", r"expelled", r"forced to flee"],
        "es": [r"deportad[oa]s?", r"expulsad[oa]s?", r"exilio"],
        "zh": [r"驱逐出境", r"流亡"],
    },
    "forced_closure": {
        "en": [
            r"ordered to close",
            r"forced to close",
            r"forced closure",
            r"shut(?:ting)? down",
            r"closed down",
            r"targeted for closure",
            r"closure of",
            r"forced to shut",
        ],
        "es": [r"cierre (?:forzoso|de)", r"clausur\w*", r"obligad[oa]s? a cerrar"],
        "zh": [r"关闭", r"被迫关闭", r"关停", r"停止运营"],
    },
    "banning_of_group": {
        "en": [
            r"banned the",
            r"outlaw(?:ed)?",
            r"proscribed",
            r"declared (?:an? )?(?:extremist|undesirable)",
        ],
        "es": [r"ilegalizad[oa]s?", r"proscrit[oa]s?"],
        "zh": [r"取缔"],
    },
    "deregistration_dissolution": {
        "en": [r"deregist\w*", r"dissolved", r"liquidat\w*", r"registration (?:was )?revoked"],
        "es": [r"disoluci[oó]n", r"disuelt[oa]s?", r"cancelaci[oó]n (?:de su|del) registro"],
        "zh": [r"注销", r"撤销登记", r"解散"],
    },
    "online_harassment": {
        "en": [r"online harassment", r"trolled", r"cyber ?bully\w*"],
        "es": [r"acoso (?:en l[ií]nea|digital)", r"ciberacoso"],
        "zh": [r"网络暴力", r"网暴"],
    },
    "hacking_account_compromise": {
        "en": [r"hacked", r"spyware", r"pegasus"],
        "es": [r"hackead[oa]s?", r"software esp[ií]a"],
        "zh": [r"黑客", r"间谍软件"],
    },
}

# How the project's violation codes map to the seven HRDsAttack labels.
HRDS_OF_CODE: dict[str, str] = {
    "killing": "killing",
    "femicide": "killing",
    "torture": "torture",
    "enforced_disappearance": "enforced disappearance",
    "arbitrary_detention": "arbitrary detention",
    "arrest": "arbitrary detention",
    "detention_imprisonment": "arbitrary detention",
    "house_arrest": "arbitrary detention",
    "residential_surveillance_designated_location": "arbitrary detention",
    "kidnapping_abduction": "kidnapping",
}
# ... and back, for a label the model proposes without a more precise word in the text.
CODE_OF_HRDS: dict[str, str] = {
    "killing": "killing",
    "torture": "torture",
    "enforced disappearance": "enforced_disappearance",
    "arbitrary detention": "arbitrary_detention",
    "kidnapping": "kidnapping_abduction",
    "other": "other_harmful_acts",
}
# Violations whose victim is typically an organisation.
ORGANISATION_LEVEL = frozenset(
    {"forced_closure", "banning_of_group", "deregistration_dissolution", "raid_search_confiscation"}
)


def hrds_label(code: str) -> str:
    return HRDS_OF_CODE.get(code, "other")


PERPETRATORS: dict[str, dict[str, list[str]]] = {
    "police": {
        "en": [r"police\w*", r"officers", r"riot police", r"cops?"],
        "es": [r"polic[ií]as?", r"carabineros", r"agentes"],
        "zh": [r"警方", r"公安", r"警察", r"国保"],
    },
    "armed_forces": {
        "en": [r"soldiers?", r"army", r"military", r"troops", r"security forces", r"junta"],
        "es": [
            r"ej[eé]rcito",
            r"militares",
            r"soldados",
            r"fuerzas armadas",
            r"fuerzas de seguridad",
        ],
        "zh": [r"军队", r"士兵", r"军方"],
    },
    "intelligence_services": {
        "en": [
            r"intelligence (?:agents|services|officers)",
            r"secret police",
            r"state security",
            r"security service",
            r"kgb",
            r"fsb",
        ],
        "es": [r"inteligencia"],
        "zh": [r"国安", r"国家安全"],
    },
    "judiciary_prosecution": {
        "en": [r"court", r"judge", r"prosecutors?"],
        "es": [r"tribunal", r"juez", r"jueza", r"fiscal[ií]a"],
        "zh": [r"法院", r"检察院", r"法官"],
    },
    "relevant_authorities_unspecified": {
        "en": [r"authorities", r"government", r"ministry", r"officials", r"regime", r"state"],
        "es": [
            r"autoridades",
            r"gobierno",
            r"ministerio",
            r"funcionarios",
            r"r[eé]gimen",
            r"estado",
        ],
        "zh": [r"政府", r"当局", r"有关部门", r"民政局", r"司法局"],
    },
    "paramilitary": {
        "en": [r"paramilitar\w*", r"militia\w*"],
        "es": [r"paramilitar\w*"],
        "zh": [r"民兵"],
    },
    "pro_government_groups": {
        "en": [r"pro-government"],
        "es": [r"progubernamental"],
        "zh": [r"五毛"],
    },
    "armed_opposition_guerrilla": {
        "en": [
            r"rebels?",
            r"insurgents?",
            r"militants?",
            r"jihadists?",
            r"boko haram",
            r"taliban",
            r"al-shabaab",
            r"guerrillas?",
            r"bandits?",
        ],
        "es": [r"guerrill\w*", r"rebeldes", r"disidencias"],
        "zh": [r"叛军", r"武装分子"],
    },
    "organised_crime": {
        "en": [r"cartels?", r"gangs?", r"organi[sz]ed crime"],
        "es": [r"c[aá]rtel\w*", r"crimen organizado", r"pandillas?", r"narcotraficantes"],
        "zh": [r"黑社会", r"犯罪集团"],
    },
    "unknown": {
        "en": [
            r"unknown (?:gunmen|assailants|men|attackers|persons)",
            r"unidentified (?:gunmen|men|assailants|attackers)",
            r"masked men",
            r"gunmen",
        ],
        "es": [r"desconocidos", r"hombres armados", r"sicarios", r"encapuchados"],
        "zh": [r"不明身份", r"蒙面"],
    },
    "civilian_crowd_mob": {"en": [r"mob"], "es": [r"turba"], "zh": [r"暴徒"]},
}
STATE_CODES = frozenset(
    {
        "police",
        "armed_forces",
        "intelligence_services",
        "judiciary_prosecution",
        "relevant_authorities_unspecified",
    }
)
# HRDsAttack perpetrator labels -> the project's perpetrator codes (the broad term).
PERPETRATOR_CODE_OF_HRDS: dict[str, str] = {
    "state actor": "state",
    "other state actors": "state",
    "other actors with permissions": "state_linked",
    "other actors without permissions": "other",
    "other non-state actors": "other",
    "regional orgs": "other",
    "insufficient info": "unknown",
}


def hrds_perpetrator(code: str) -> str:
    if code in STATE_CODES or code == "state":
        return "state actor"
    if code in {"paramilitary", "pro_government_groups", "state_linked"}:
        return "other actors with permissions"
    if code == "unknown":
        return "insufficient info"
    return "other actors without permissions"


ROLES: dict[str, dict[str, list[str]]] = {
    "lawyer": {
        "en": [r"lawyers?", r"attorneys?", r"advocates?", r"barristers?"],
        "es": [r"abogad[oa]s?"],
        "zh": [r"律师"],
    },
    "journalist": {
        "en": [
            r"journalists?",
            r"reporters?",
            r"editors?",
            r"correspondents?",
            r"photojournalists?",
            r"broadcasters?",
        ],
        "es": [r"periodistas?", r"reporter[oa]s?", r"comunicador[a]?"],
        "zh": [r"记者", r"编辑"],
    },
    "blogger_citizen_journalist": {
        "en": [r"bloggers?", r"citizen journalists?", r"youtubers?"],
        "es": [r"bloguer[oa]s?"],
        "zh": [r"博主", r"公民记者"],
    },
    "trade_unionist": {
        "en": [r"trade unionists?", r"union (?:leader|president|activist)s?", r"unionists?"],
        "es": [r"sindicalistas?", r"dirigente sindical"],
        "zh": [r"工会"],
    },
    "ngo_staff_leader": {
        "en": [r"director", r"founder", r"ngo worker", r"coordinator", r"executive director"],
        "es": [r"director[a]?", r"fundador[a]?", r"coordinador[a]?"],
        "zh": [r"主任", r"负责人", r"创始人"],
    },
    "community_leader": {
        "en": [r"community leaders?", r"social leaders?", r"village chief"],
        "es": [r"l[ií]der(?:esa)? (?:social|comunitari[oa])", r"lideresa"],
        "zh": [r"村民代表", r"社区领袖"],
    },
    "indigenous_afro_descendant": {
        "en": [r"indigenous"],
        "es": [r"ind[ií]genas?", r"afrodescendientes?"],
        "zh": [r"原住民"],
    },
    "student_academic": {
        "en": [r"students?", r"professors?", r"academics?", r"scholars?", r"lecturers?"],
        "es": [r"estudiantes?", r"profesor[a]?", r"acad[eé]mic[oa]"],
        "zh": [r"学生", r"教授", r"学者"],
    },
    "health_worker": {
        "en": [r"doctors?", r"nurses?", r"physicians?", r"medics?"],
        "es": [r"m[eé]dic[oa]s?", r"enfermer[oa]s?"],
        "zh": [r"医生", r"护士"],
    },
    "politician_candidate": {
        "en": [
            r"politicians?",
            r"candidates?",
            r"lawmakers?",
            r"opposition leaders?",
            r"mps?",
            r"senators?",
            r"mayor",
        ],
        "es": [r"pol[ií]tic[oa]", r"candidat[oa]", r"alcalde(?:sa)?", r"diputad[oa]"],
        "zh": [r"议员", r"候选人"],
    },
    "relative_of_defender": {
        "en": [r"(?:mother|father|wife|husband|son|daughter|brother|sister) of"],
        "es": [r"(?:madre|padre|esposa|esposo|hij[oa]|herman[oa]) de"],
        "zh": [r"家属", r"妻子", r"母亲"],
    },
    "searcher_for_disappeared": {
        "en": [r"searching for (?:her|his|their) (?:disappeared|missing)"],
        "es": [r"buscadoras?", r"madres buscadoras"],
        "zh": [r"寻找失踪"],
    },
}

FEMALE = {
    "en": [
        r"she",
        r"her",
        r"hers",
        r"herself",
        r"mrs",
        r"ms",
        r"miss",
        r"madam",
        r"woman",
        r"women's rights activist",
        r"mother",
        r"wife",
        r"daughter",
        r"sister",
        r"grandmother",
        r"businesswoman",
        r"actress",
        r"congresswoman",
        r"chairwoman",
        r"spokeswoman",
        r"girl",
    ],
    "es": [
        r"ella",
        r"la (?:defensora|periodista|abogada|activista|lideresa|dirigente|sindicalista)",
        r"defensora",
        r"abogada",
        r"lideresa",
        r"detenida",
        r"asesinada",
        r"secuestrada",
        r"desaparecida",
        r"amenazada",
        r"señora",
        r"sra",
        r"madre",
        r"esposa",
        r"hija",
        r"mujer",
    ],
    "zh": [r"她", r"女士", r"女性", r"女权", r"女律师", r"女记者", r"母亲", r"妻子"],
}
MALE = {
    "en": [
        r"he",
        r"him",
        r"his",
        r"himself",
        r"mr",
        r"man",
        r"father",
        r"husband",
        r"son",
        r"brother",
        r"businessman",
        r"actor",
        r"congressman",
        r"chairman",
        r"spokesman",
        r"boy",
    ],
    "es": [
        r"él",
        r"el (?:defensor|periodista|abogado|activista|líder|dirigente|sindicalista)",
        r"defensor",
        r"abogado",
        r"detenido",
        r"asesinado",
        r"secuestrado",
        r"desaparecido",
        r"amenazado",
        r"señor",
        r"sr",
        r"padre",
        r"esposo",
        r"hijo",
        r"hombre",
    ],
    "zh": [r"他", r"先生", r"男性", r"丈夫", r"父亲"],
}


# Pronouns and titles only: what refers back to a person just named.
PRONOUNS = {
    "female": {
        "en": [r"she", r"her", r"hers", r"herself", r"mrs", r"ms", r"miss"],
        "es": [r"ella"],
        "zh": [r"她"],
    },
    "male": {"en": [r"he", r"him", r"his", r"himself", r"mr"], "es": [r"él"], "zh": [r"他"]},
}


@dataclass(frozen=True, slots=True)
class Hit:
    code: str
    start: int
    end: int


def _compile(patterns: list[str], language: str) -> re.Pattern[str]:
    body = "|".join(f"(?:{p})" for p in patterns)
    if language == "zh":
        return re.compile(body)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])", re.IGNORECASE)


class Lexicon:
    """One compiled pattern per code and language."""

    def __init__(self, table: dict[str, dict[str, list[str]]]) -> None:
        self._compiled = {
            (code, language): _compile(patterns, language)
            for code, by_language in table.items()
            for language, patterns in by_language.items()
        }
        self.codes = list(table)

    def find(self, text: str, language: str) -> Iterator[Hit]:
        for (code, lang), pattern in self._compiled.items():
            if lang != language:
                continue
            for match in pattern.finditer(text):
                yield Hit(code, match.start(), match.end())


violations = Lexicon(VIOLATIONS)
perpetrators = Lexicon(PERPETRATORS)
roles = Lexicon(ROLES)
sex_words = Lexicon({"female": FEMALE, "male": MALE})
pronouns = Lexicon(PRONOUNS)
