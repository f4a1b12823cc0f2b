/**
 * Words of chat German that carry no topic: contractions ("n", "fürn", "unterm", "gibts"), particles ("halt", "mal",
 * "eigentlich"), greetings and politeness ("moin", "danke"), hedges ("ungefähr", "irgendwie"). Staff type them, the
 * documents never use them, so as query concepts they could only lower coverage ("darf ich n kleinen heizofen unterm
 * schreibtisch haben?"). Question side only: documents are indexed and embedded without this list. Folded spelling.
 */
export const QUESTION_FILLERS = new Set(
  // contractions of article and preposition, and of verb and pronoun
  (
    "n nen ne nem ner nes fuern fuers aufm aufn aufs ausm unterm untern unters vorm vors hinterm hinters uebern uebers " +
    "ans ums durchs gibts gehts isses issn isn haste hasste kannste kann kannst musste muss musst willste " +
    "weisste weisst wat dat nix nich net nee noe jo ok okay " +
    // particles and hedges
    "halt mal denn echt eben ja eh eig eigtl eigentlich grad gerade schon einfach irgendwie irgendwo irgendwas " +
    "irgendwann irgendwer jemand jemanden ueberhaupt wirklich ganz total bloss lieber gerne gern vielleicht eventuell " +
    "evtl ungefaehr circa ca etwa bzw usw etc sowas son sone sonst trotzdem leider dringend kurz kurze schnell " +
    // greetings, politeness, addressing
    "hallo hi hey moin servus gruezi tach danke dankeschoen sorry tschuess gruss gruesse lg vg mfg liebe lieben " +
    // question words and pronoun adverbs the main list lacks
    "wen wem wessen woher wohin wozu wofuer womit worauf woran wieso weshalb dazu dafuer darauf darueber davon dabei " +
    "hierzu hierfuer dran drauf drueber euch eure euren eurem eurer " +
    // modal and frame verbs: "muss ich", "kann man", "krieg ich"
    "moechte moechten moechtest haette haetten waere waeren wuerde wuerden koennten muessten duerfte duerften " +
    "krieg kriege kriegen kriegt machen macht mache tun tue weiss wissen sagen sag"
  ).split(" "),
);
