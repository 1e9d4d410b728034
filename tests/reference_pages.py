"""The addresses of each page type of the reference content, in English and French."""

RELEASE_EN = "/en/newsroom/2005/cross-border-crime/"
RELEASE_FR = "/fr/salle-de-presse/2005/criminalite-transfrontaliere/"

PAGE_TYPES = {
    "home": ("/en/", "/fr/"),
    "newsroom": ("/en/newsroom/", "/fr/salle-de-presse/"),
    "year archive": ("/en/newsroom/2005/", "/fr/salle-de-presse/2005/"),
    "release": (RELEASE_EN, RELEASE_FR),
    "release print": (RELEASE_EN + "print/", RELEASE_FR + "imprimer/"),
    "initiatives": ("/en/initiatives/", "/fr/initiatives/"),
    "initiative": (
        "/en/initiatives/integrated-border-enforcement-teams/",
        "/fr/initiatives/equipes-integrees-de-la-police-des-frontieres/",
    ),
    "initiative print": (
        "/en/initiatives/integrated-border-enforcement-teams/print/",
        "/fr/initiatives/equipes-integrees-de-la-police-des-frontieres/imprimer/",
    ),
    "standard page": ("/en/pages/important-notices/", "/fr/pages/avis-importants/"),
    "standard page print": ("/en/pages/important-notices/print/", "/fr/pages/avis-importants/imprimer/"),
    "a-z index": ("/en/a-z/", "/fr/a-z/"),
    "site map": ("/en/site-map/", "/fr/plan-du-site/"),
}
