#!/usr/bin/env python3
"""Seeded generator of synthetic Patella sites, and the same corpus as a Hugo site.

    python3 Benchmarks/generate.py --pages 1000 --out /tmp/bench-1000 [--seed 8]

writes

    OUT/patella/site.yml, OUT/patella/<folder>/<id>.md      a Patella content folder
    OUT/hugo/config.toml, OUT/hugo/content/<section>/<id>.md, OUT/hugo/layouts/...
    OUT/bodies.md                                            every body, front matter
                                                             stripped, concatenated
                                                             (input of the cmark-gfm floor)
    OUT/stamp.json                                           what was generated, and how

The same seed and page count always give byte-identical files. Pages are valid per
../shared/content-model.md: all six types, typed relations (conditions list symptoms,
causes, treatments and diagnostics; every page may list `related`), `care` on every
treatment, `kind` on most causes, summaries under 200 characters, aliases, and bodies of
300-600 words with ## and ### headings, lists, a table, callouts and about four internal
links each, written both as [[id]] / [[id|text]] and as relative ../folder/id.md links.
Every page is linked from at least one other page, so `patella check` reports no orphans.
"""

import argparse
import json
import os
import random
import re
import shutil
import sys
import time

GENERATOR_VERSION = 3

# Shares of each type, after the shipped knee site (11 conditions, 14 symptoms, 12 causes,
# 19 treatments, 5 tests, 4 guides) with a few more guides, as a larger clinic site has.
TYPES = [
    # (type, folder, share, section heading)
    ("condition", "conditions", 0.20, "Conditions"),
    ("symptom", "symptoms", 0.21, "Symptoms"),
    ("cause", "causes", 0.17, "Causes and risk factors"),
    ("treatment", "treatments", 0.26, "Treatments"),
    ("diagnostic", "diagnostics", 0.08, "Tests and exams"),
    ("guide", "guides", 0.08, "Guides"),
]
FOLDER = {t: f for t, f, _, _ in TYPES}

BASE_URL = "https://bench.example.org/"
SITE_TITLE = "Joint and Muscle Pain Guide (synthetic benchmark site)"
DISCLAIMER = (
    "This site is general information to help you understand joint and muscle pain. "
    "It does not replace advice from a doctor, physical therapist or other healthcare "
    "provider who has examined you. If you are worried, or your pain is severe, get "
    "medical help."
)
DESCRIPTION = "Plain-language help with joint and muscle pain: what causes it, how it is checked and how it is treated."

# ---------------------------------------------------------------- vocabulary

PARTS = ["knee", "hip", "ankle", "foot", "heel", "shin", "thigh", "calf", "back", "neck",
         "shoulder", "elbow", "wrist", "hand", "toe", "arch", "hamstring", "kneecap",
         "spine", "jaw", "finger", "thumb", "groin", "buttock"]
COND_ADJ = ["chronic", "acute", "recurrent", "inner", "outer", "upper", "lower", "front",
            "rear", "deep", "partial", "mild", "severe", "early", "late"]
DISORDERS = ["bursitis", "tendinitis", "sprain", "strain", "tear", "arthritis", "syndrome",
             "impingement", "instability", "stress fracture", "cartilage wear",
             "nerve pinch", "cyst", "inflammation"]
SYM_QUAL = ["sharp", "dull", "burning", "aching", "throbbing", "morning", "night",
            "constant", "sudden", "mild"]
FEELINGS = ["pain", "stiffness", "swelling", "weakness", "numbness", "tingling", "clicking",
            "locking", "tenderness", "bruising", "cramps", "warmth"]
CAUSE_MOD = ["repeated", "sudden", "poor", "weak", "tight", "heavy", "long", "hard",
             "uneven", "old"]
CAUSE_ACT = ["kneeling", "lifting", "posture", "training", "footwear", "surfaces", "landing",
             "twisting", "sitting", "running", "jumping", "weight gain", "gripping",
             "typing", "carrying"]
CAUSE_CTX = ["at work", "in sport", "at home", "on stairs", "in winter", "after rest",
             "in the garden", "on long walks", "at school", "while driving"]
CAUSE_KINDS = ["injury", "overuse", "structural", "disease", "training"]
TREAT_MOD = ["gentle", "daily", "guided", "home", "warm", "cold", "supported", "short",
             "slow", "steady"]
# method -> care step on the stepped-care ladder
TREAT_METHODS = [("stretches", "self-care"), ("strength exercises", "self-care"),
                 ("brace", "self-care"), ("ice packs", "self-care"), ("rest plan", "self-care"),
                 ("insoles", "self-care"), ("pain relief", "self-care"),
                 ("massage", "clinician"), ("taping", "clinician"),
                 ("physical therapy", "clinician"), ("splint", "clinician"),
                 ("injection", "procedure"), ("nerve block", "procedure"),
                 ("repair", "surgery"), ("replacement", "surgery")]
TEST_MOD = ["standing", "resting", "full", "quick", "follow-up", "first", "detailed"]
TESTS = ["x-ray", "MRI scan", "ultrasound", "CT scan", "blood test", "physical exam",
         "strength test", "gait study", "nerve test", "bone scan"]
GUIDE_VERB = ["Choosing", "Preparing for", "Getting back to", "Staying safe during",
              "Planning", "Managing", "Enjoying", "Talking about"]
GUIDE_ACT = ["running", "walking", "gardening", "stairs", "travel", "work", "sleep", "sport",
             "school", "driving", "swimming", "lifting"]
LAY = ["sore", "stiff", "bad", "weak", "painful", "tired", "achy"]
PROS = ["doctor", "physical therapist", "nurse", "sports doctor", "foot doctor", "pharmacist",
        "surgeon", "GP"]
ACTIVITIES = ["running", "walking", "climbing stairs", "sitting for a long time", "kneeling",
              "squatting", "lifting", "sport", "gardening", "driving", "cycling", "dancing",
              "standing at work", "carrying bags", "playing with children"]
TIMES = ["in the morning", "at night", "after a long day", "after exercise", "when it is cold",
         "at the start of a walk", "after sitting", "on the stairs"]
REMEDIES = ["rest", "ice", "gentle stretches", "a warm pack", "short walks", "a brace",
            "pain relief from a pharmacy", "better shoes", "a change of routine"]
ACTIONS = ["rest the joint", "use ice for 15 minutes", "keep moving gently", "avoid long runs",
           "raise your leg", "take short breaks", "wear soft shoes", "sleep with a pillow"]
FEEL_ADJ = ["sore", "stiff", "tender", "warm", "weak", "tight", "heavy", "swollen"]
SECTION_HEADINGS = {
    "condition": ["What it is", "Symptoms", "Causes and risk factors", "How it is diagnosed",
                  "Treatment", "Recovery", "Living with it"],
    "symptom": ["What it feels like", "Common causes", "What you can do", "When to get help",
                "How it is checked"],
    "cause": ["What it is", "How it strains the joint", "Who is at risk", "What helps",
              "Prevention"],
    "treatment": ["How it helps", "How to do it", "When it is used", "What to expect",
                  "Risks and side effects"],
    "diagnostic": ["What it is", "What it shows", "How it is done", "Getting ready",
                   "Your results"],
    "guide": ["Before you start", "Step by step", "Common mistakes", "Warning signs",
              "Next steps"],
}
SUBHEADINGS = ["At home", "At work", "In sport", "For older adults", "For children",
               "First few days", "After two weeks", "Questions to ask", "Good to know",
               "What to avoid"]


def make_tail_words(rng, count):
    """A long tail of two- and three-letter-syllable pseudo-words (plant names, brand
    names, local terms), so the vocabulary grows with the site as real text does."""
    cons = "bcdfghjklmnprstvz"
    vows = "aeiou"
    words, seen = [], set()
    while len(words) < count:
        w = rng.choice(cons) + rng.choice(vows) + rng.choice(cons) + rng.choice(vows)
        if rng.random() < 0.5:
            w += rng.choice("lnrst")
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def slug(text):
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return re.sub(r"-+", "-", s)


# ---------------------------------------------------------------- pages


class Page:
    __slots__ = ("id", "type", "title", "summary", "aliases", "relations", "care", "kind",
                 "updated", "sources", "body", "links", "part", "extra")

    def __init__(self, pid, ptype, title, part, extra):
        self.id, self.type, self.title, self.part, self.extra = pid, ptype, title, part, extra
        self.aliases, self.relations, self.sources, self.links = [], {}, [], []
        self.care = self.kind = self.updated = self.summary = self.body = None


def make_title(rng, ptype):
    """(title, body part, extra word) for a page of this type."""
    part = rng.choice(PARTS)
    if ptype == "condition":
        d = rng.choice(DISORDERS)
        return f"{rng.choice(COND_ADJ).capitalize()} {part} {d}", part, d
    if ptype == "symptom":
        f = rng.choice(FEELINGS)
        return f"{rng.choice(SYM_QUAL).capitalize()} {part} {f}", part, f
    if ptype == "cause":
        a = rng.choice(CAUSE_ACT)
        return f"{rng.choice(CAUSE_MOD).capitalize()} {a} {rng.choice(CAUSE_CTX)}", part, a
    if ptype == "treatment":
        m = rng.randrange(len(TREAT_METHODS))
        return f"{rng.choice(TREAT_MOD).capitalize()} {part} {TREAT_METHODS[m][0]}", part, m
    if ptype == "diagnostic":
        t = rng.choice(TESTS)
        return f"{rng.choice(TEST_MOD).capitalize()} {part} {t}", part, t
    act = rng.choice(GUIDE_ACT)
    return f"{rng.choice(GUIDE_VERB)} {act} with {part} pain", part, act


def type_counts(n):
    counts = {t: max(1, int(round(n * share))) for t, _, share, _ in TYPES}
    counts["treatment"] += n - sum(counts.values())
    if counts["treatment"] < 1:  # tiny sites: take from the largest other type
        largest = max((t for t in counts if t != "treatment"), key=counts.get)
        counts[largest] -= 1 - counts["treatment"]
        counts["treatment"] = 1
    return counts


def make_pages(rng, n):
    pages, used = [], set()
    for ptype, _, _, _ in TYPES:
        for _ in range(type_counts(n)[ptype]):
            title, part, extra = make_title(rng, ptype)
            pid, k = slug(title), 1
            while pid in used:
                k += 1
                pid = f"{slug(title)}-{k}"
            if k > 1:
                title = f"{title} {k}"
            used.add(pid)
            pages.append(Page(pid, ptype, title, part, extra))
    return pages


def sample(rng, pool, k, exclude):
    """k distinct pages from pool, none in exclude (ids)."""
    k = min(k, len(pool) - sum(1 for p in pool if p.id in exclude))
    out, seen = [], set(exclude)
    while len(out) < k:
        p = pool[rng.randrange(len(pool))]
        if p.id not in seen:
            seen.add(p.id)
            out.append(p)
    return out


def assign_metadata(rng, pages, by_type, tail):
    for p in pages:
        part = p.part
        # Relations: 4-5 per page. Conditions use their typed lists, others `related`.
        if p.type == "condition":
            rel = {"symptoms": sample(rng, by_type["symptom"], rng.choice((1, 2, 2)), {p.id}),
                   "causes": sample(rng, by_type["cause"], 1, {p.id}),
                   "treatments": sample(rng, by_type["treatment"], rng.choice((1, 2)), {p.id}),
                   "diagnostics": sample(rng, by_type["diagnostic"], 1, {p.id})}
            have = sum(len(v) for v in rel.values())
            want = rng.choice((4, 5))
            if have < want:
                rel["related"] = sample(rng, pages, want - have, {p.id})
        else:
            rel = {"related": sample(rng, pages, rng.choice((4, 5)), {p.id})}
        p.relations = {k: v for k, v in rel.items() if v}

        if p.type == "treatment":
            p.care = TREAT_METHODS[p.extra][1]
        if p.type == "cause" and rng.random() < 0.85:
            p.kind = rng.choice(CAUSE_KINDS)

        lay = rng.choice(LAY)
        aliases = [f"{lay} {part}", f"{part} {rng.choice(('trouble', 'problem', 'pain', 'injury'))}"]
        if rng.random() < 0.5:
            aliases.append(rng.choice(tail))
        if rng.random() < 0.3:
            aliases.append(f"{rng.choice(('runner', 'walker', 'gardener', 'dancer'))}'s {part}")
        p.aliases = aliases[: rng.randint(1, 4)]

        p.summary = make_summary(rng, p)
        if rng.random() < 0.8:
            p.updated = f"20{rng.randint(23, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if rng.random() < 0.5:
            p.sources = [{"title": f"{p.title}: a patient leaflet",
                          "publisher": rng.choice(("Example Health Service", "Sample Clinic Network",
                                                   "Demo Patient Library")),
                          "url": f"https://health.example.org/leaflets/{p.id}"}]
            if rng.random() < 0.4:
                p.sources.append({"title": "Joint pain in adults", "publisher": "Example Health Service"})


def make_summary(rng, p):
    t, part = p.title, p.part
    first = {
        "condition": f"{t} is a common cause of {rng.choice(FEELINGS)} in the {part}.",
        "symptom": f"{t} can come on slowly or all at once, often after {rng.choice(ACTIVITIES)}.",
        "cause": f"{t} can put extra strain on the {part} and lead to pain.",
        "treatment": f"{t} can ease pain and help the {part} get stronger.",
        "diagnostic": f"A {p.extra} helps a provider see what is wrong with your {part}.",
        "guide": f"Simple steps to keep your {part} safe and comfortable.",
    }[p.type]
    second = rng.choice((f" Most people feel better within {rng.randint(2, 12)} weeks.",
                         " It is easy to check and often easy to treat.",
                         f" Read how it affects {rng.choice(ACTIVITIES)} and what helps.",
                         ""))
    s = first + second
    return s if len(s) <= 200 else first[:199]


# ---------------------------------------------------------------- body text


MORE_ACTIVITIES = ["playing football", "hiking in the hills", "doing yoga", "lifting weights",
                   "swimming lengths", "working in the garden", "painting the house",
                   "walking the dog", "pushing a pram", "playing tennis", "skiing",
                   "climbing ladders", "cleaning the floor", "moving furniture"]
ACTIVITIES_ALL = ACTIVITIES + MORE_ACTIVITIES
PLACES = ["at home", "at work", "in the gym", "on the bus", "at the shops", "in bed",
          "on the sofa", "in the car", "outdoors", "on holiday"]
HELPERS = ["a walking stick", "a cushion", "a footstool", "a heat pad", "an ice pack",
           "a firm mattress", "a support bandage", "a shoe insert", "a step counter",
           "a pill box", "a diary", "a timer"]
FOODS = ["fruit", "vegetables", "fish", "beans", "nuts", "water", "whole grains", "milk"]
FRIENDS = ["a friend", "your partner", "a family member", "a coach", "a neighbour", "your team"]
PAIN_WORDS = ["sharp", "dull", "deep", "hot", "nagging", "steady", "sudden", "shooting"]
NUMBERS = ["two", "three", "four", "five", "six", "ten"]


def _templates():
    P = PARTS
    return [
        lambda r, p, w: f"Your {p.part} may feel {r.choice(FEEL_ADJ)} after {r.choice(ACTIVITIES_ALL)}.",
        lambda r, p, w: f"Many people notice this {r.choice(TIMES)}.",
        lambda r, p, w: f"It often gets better with {r.choice(REMEDIES)}.",
        lambda r, p, w: f"A {r.choice(PROS)} can check your {p.part} and explain what is going on.",
        lambda r, p, w: f"Try to {r.choice(ACTIONS)} for a few days.",
        lambda r, p, w: f"This can make {r.choice(ACTIVITIES_ALL)} hard.",
        lambda r, p, w: f"The pain may spread to your {r.choice(P)} or {r.choice(P)}.",
        lambda r, p, w: f"Keep a note of when the {r.choice(FEELINGS)} starts and what makes it worse.",
        lambda r, p, w: f"Most people get better within {r.randint(2, 12)} weeks.",
        lambda r, p, w: f"Stop if the pain gets {r.choice(PAIN_WORDS)} or does not settle.",
        lambda r, p, w: f"Some people also have {r.choice(FEELINGS)} in the {r.choice(P)}.",
        lambda r, p, w: f"In some places this is called {w.tail_word()}.",
        lambda r, p, w: f"A {r.choice(PROS)} may suggest {r.choice(REMEDIES)} first.",
        lambda r, p, w: f"The {w.tail_word()} method is one way to {r.choice(ACTIONS)}.",
        lambda r, p, w: f"It is more likely if you spend a lot of time {r.choice(ACTIVITIES_ALL)}.",
        lambda r, p, w: f"You may hear your {p.part} click, but that is often fine.",
        lambda r, p, w: f"Go back to {r.choice(ACTIVITIES_ALL)} slowly, a little more each week.",
        lambda r, p, w: f"Ask about {w.tail_word()} or {w.tail_word()} if you want to know more.",
        lambda r, p, w: f"**Do not** push through {r.choice(PAIN_WORDS)} pain.",
        lambda r, p, w: f"Warm up for {r.randint(5, 15)} minutes before {r.choice(ACTIVITIES_ALL)}.",
        lambda r, p, w: f"*Small changes* to {r.choice(ACTIVITIES_ALL)} can help a lot.",
        lambda r, p, w: f"The {p.part} has {r.choice(('bones', 'muscles', 'tendons', 'nerves', 'ligaments'))} that can get {r.choice(FEEL_ADJ)}.",
        lambda r, p, w: f"Using {r.choice(HELPERS)} {r.choice(PLACES)} can take some load off.",
        lambda r, p, w: f"Eating {r.choice(FOODS)} and {r.choice(FOODS)} keeps your body strong.",
        lambda r, p, w: f"Ask {r.choice(FRIENDS)} to help with {r.choice(ACTIVITIES_ALL)} for a while.",
        lambda r, p, w: f"Pain that wakes you {r.choice(('at night', 'early', 'often'))} should be checked.",
        lambda r, p, w: f"Write down {r.choice(NUMBERS)} questions before you see your {r.choice(PROS)}.",
        lambda r, p, w: f"Swelling around the {p.part} often goes down after {r.choice(NUMBERS)} days.",
        lambda r, p, w: f"Slow, steady moves are safer than fast ones.",
        lambda r, p, w: f"Your {r.choice(PROS)} may want to watch you {r.choice(('walk', 'squat', 'bend', 'stand on one leg', 'climb a step'))}.",
        lambda r, p, w: f"Tell them if the {r.choice(FEELINGS)} came on after a fall or a twist.",
        lambda r, p, w: f"Rest does not mean staying in bed all day.",
        lambda r, p, w: f"Short walks {r.choice(PLACES)} keep the {p.part} from getting stiff.",
        lambda r, p, w: f"Older adults and people who do {r.choice(ACTIVITIES_ALL)} get this more often.",
        lambda r, p, w: f"Some clinics offer {w.tail_word()} classes for people with {p.part} pain.",
        lambda r, p, w: f"Change your shoes every {r.randint(300, 800)} kilometres or so.",
        lambda r, p, w: f"A {r.choice(('cold', 'warm'))} pack wrapped in a towel can ease the {r.choice(FEELINGS)}.",
        lambda r, p, w: f"Most tests take less than {r.choice(NUMBERS)} minutes and do not hurt.",
        lambda r, p, w: f"Bring a list of your medicines, including {w.tail_word()}, to each visit.",
        lambda r, p, w: f"If the {p.part} gives way, sit down and rest before you go on.",
        lambda r, p, w: f"Building strength in the {r.choice(P)} helps protect the {p.part}.",
        lambda r, p, w: f"People who {r.choice(ACTIONS)} early tend to recover sooner.",
        lambda r, p, w: f"It is normal to feel a little {r.choice(FEEL_ADJ)} the next day.",
        lambda r, p, w: f"Pain that is {r.choice(PAIN_WORDS)} and new is a reason to call your {r.choice(PROS)}.",
        lambda r, p, w: f"Physiotherapy exercises strengthen the muscles supporting your {p.part}.",
        lambda r, p, w: f"Anti-inflammatory medicines reduce swelling, but check with a pharmacist first.",
        lambda r, p, w: f"Stretching before and after {r.choice(ACTIVITIES_ALL)} protects tendons and ligaments.",
        lambda r, p, w: f"Comfortable, cushioned footwear spreads pressure evenly through your {r.choice(P)}.",
        lambda r, p, w: f"Gradually increasing {r.choice(ACTIVITIES_ALL)} gives your body time to adapt.",
        lambda r, p, w: f"Overweight people put extra pressure through their {p.part} when walking.",
        lambda r, p, w: f"Keeping active between appointments speeds up your recovery.",
        lambda r, p, w: f"Symptoms sometimes disappear quickly, then return after {r.choice(ACTIVITIES_ALL)}.",
    ]


class Writer:
    """Short, plain sentences (reading grade about 5) from templates, with a Zipf-like
    long tail of rarer words so the vocabulary grows with the corpus."""

    TEMPLATES = _templates()

    def __init__(self, rng, tail):
        self.rng = rng
        self.tail = tail
        acc, self.cum = 0.0, []
        for i in range(len(tail)):
            acc += 1.0 / (i + 1)
            self.cum.append(acc)
        self.last = -1

    def tail_word(self):
        return self.rng.choices(self.tail, cum_weights=self.cum, k=1)[0]

    def sentence(self, p):
        r = self.rng
        c = r.randrange(len(self.TEMPLATES))
        if c == self.last:
            c = (c + 1 + r.randrange(len(self.TEMPLATES) - 1)) % len(self.TEMPLATES)
        self.last = c
        return self.TEMPLATES[c](r, p, self)

    def paragraph(self, p, lo, hi):
        return " ".join(self.sentence(p) for _ in range(self.rng.randint(lo, hi)))


LINK_RE = re.compile("\x01(\\d+)\x02")


WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")


def make_body(rng, w, p, targets):
    """The body with links as placeholders \\x01k\\x02 (k indexes p.links), so the Patella
    and Hugo writers can each spell them their own way. 300-600 words of prose (markup
    and link targets not counted; a link's text is)."""
    budget = int(rng.triangular(300, 600, 600))
    out, words = [], 0

    # Links: (target, form, text); form is "id" ([[id]]), "idtext" ([[id|text]]) or "md".
    for t in targets:
        form = rng.choice(("id", "id", "idtext", "md", "md"))
        text = t.title.lower() if form != "id" else None
        p.links.append((t, form, text))
    link_slots = list(range(len(p.links)))

    def add(text):
        nonlocal words
        out.append(text)
        words += len(WORD_RE.findall(LINK_RE.sub(lambda m: p.links[int(m.group(1))][0].title, text)))

    def with_link(text):
        if link_slots:
            k = link_slots.pop()
            lead = rng.choice(("See", "Read about", "Learn more about", "Compare with"))
            return f"{text} {lead} \x01{k}\x02."
        return text

    add(w.paragraph(p, 2, 4))
    headings = SECTION_HEADINGS[p.type][:]
    rng.shuffle(headings)
    nsec = rng.randint(3, 5)
    table_done = callout_done = False
    for i, h in enumerate(headings[:nsec]):
        if i >= 3 and words >= budget - 80:
            break
        add(f"## {h}")
        add(with_link(w.paragraph(p, 2, 4)) if rng.random() < 0.6 else w.paragraph(p, 2, 4))
        choice = rng.random()
        if not table_done and (choice < 0.3 or i == nsec - 1):
            table_done = True
            rows = ["| Step | What to do | How long |", "|---|---|---|"]
            for j in range(rng.randint(3, 4)):
                weeks = rng.randint(1, 6)
                rows.append(f"| {j + 1} | {rng.choice(ACTIONS).capitalize()} | {weeks} week{'s' if weeks > 1 else ''} |")
            add("\n".join(rows))
        elif choice < 0.65:
            items = [w.sentence(p) for _ in range(rng.randint(3, 4))]
            if link_slots:
                items[0] = with_link(items[0])
            ordered = rng.random() < 0.3
            add("\n".join((f"{j + 1}. " if ordered else "- ") + it for j, it in enumerate(items)))
        elif not callout_done and choice < 0.85:
            callout_done = True
            kind = rng.choice(("WARNING", "WARNING", "NOTE", "TIP", "IMPORTANT", "CAUTION"))
            add(f"> [!{kind}]\n> {w.sentence(p)}\n> {w.sentence(p)}")
        if rng.random() < 0.5 and words < budget - 60:
            add(f"### {rng.choice(SUBHEADINGS)}")
            add(w.paragraph(p, 2, 3))
            if rng.random() < 0.4:
                add("\n".join(f"- [{rng.choice(' x')}] {w.sentence(p)}" for _ in range(3)))
    if rng.random() < 0.3:
        add(f"More reading: [Example Health Service guide](https://health.example.org/{p.part}) "
            f"or https://www.example.org/{p.part}-pain.")
    if rng.random() < 0.1:
        add(f"Old advice said to ~~{rng.choice(ACTIONS)}~~ but this is no longer advised.")
    # Fill up to the budget a sentence at a time, placing the links still unplaced.
    para = []
    while words < budget or link_slots:
        sentence = w.sentence(p)
        if link_slots and (len(para) >= 2 or words >= budget):
            sentence = with_link(sentence)
        para.append(sentence)
        words += len(WORD_RE.findall(sentence))
        if len(para) >= rng.randint(3, 6):
            out.append(" ".join(para))
            para = []
    if para:
        out.append(" ".join(para))
    p.body = "\n\n".join(out) + "\n"


def choose_link_targets(rng, p, pages, ring_next):
    """About four body links: the next page on a ring over all pages (so every page has a
    way in), one or two of the page's own relations, and one or two other pages."""
    targets, seen = [ring_next], {p.id, ring_next.id}
    rel = [t for ts in p.relations.values() for t in ts if t.id not in seen]
    rng.shuffle(rel)
    for t in rel[: rng.randint(1, 2)]:
        targets.append(t)
        seen.add(t.id)
    want = rng.choice((3, 4, 4, 5))
    targets += sample(rng, pages, max(0, want - len(targets)), seen)
    rng.shuffle(targets)
    return targets


# ---------------------------------------------------------------- writers

REL_ORDER = ("symptoms", "causes", "treatments", "diagnostics", "related")


def flow(items):
    return "[" + ", ".join(items) + "]"


def patella_link(p, k):
    t, form, text = p.links[k]
    if form == "id":
        return f"[[{t.id}]]"
    if form == "idtext":
        return f"[[{t.id}|{text}]]"
    return f"[{text}](../{FOLDER[t.type]}/{t.id}.md)"


def hugo_link(p, k):
    t, form, text = p.links[k]
    return f"[{t.title if form == 'id' else text}]({{{{< relref \"/{FOLDER[t.type]}/{t.id}.md\" >}}}})"


def patella_page(p):
    lines = ["---", f"title: {p.title}", f"summary: {p.summary}"]
    if p.updated:
        lines.append(f"updated: {p.updated}")
    if p.aliases:
        lines.append(f"aliases: {flow(p.aliases)}")
    for k in REL_ORDER:
        if k in p.relations:
            lines.append(f"{k}: {flow(t.id for t in p.relations[k])}")
    if p.care:
        lines.append(f"care: {p.care}")
    if p.kind:
        lines.append(f"kind: {p.kind}")
    if p.sources:
        lines.append("sources:")
        for s in p.sources:
            lines.append(f"  - title: \"{s['title']}\"")
            lines.append(f"    publisher: {s['publisher']}")
            if "url" in s:
                lines.append(f"    url: {s['url']}")
    lines.append("---")
    lines.append("")
    lines.append("")
    return "\n".join(lines) + LINK_RE.sub(lambda m: patella_link(p, int(m.group(1))), p.body)


def hugo_page(p):
    """The same page for Hugo: YAML front matter with the same values. Hugo treats
    `aliases` as redirects and has its own `kind`, so those two are renamed; relations
    keep their names and hold ids, which the templates look up with site.GetPage."""
    q = json.dumps
    lines = ["---", f"title: {q(p.title)}", f"summary: {q(p.summary)}"]
    if p.updated:
        lines.append(f"lastmod: {p.updated}")
    if p.aliases:
        lines.append(f"also_called: {q(p.aliases)}")
    for k in REL_ORDER:
        if k in p.relations:
            lines.append(f"{k}: {q([t.id for t in p.relations[k]])}")
    if p.care:
        lines.append(f"care: {p.care}")
    if p.kind:
        lines.append(f"cause_kind: {p.kind}")
    if p.sources:
        lines.append(f"sources: {q(p.sources)}")
    lines.append("---")
    lines.append("")
    return "\n".join(lines) + LINK_RE.sub(lambda m: hugo_link(p, int(m.group(1))), p.body)


SITE_YML = f"""# Synthetic benchmark site written by Benchmarks/generate.py. Not medical content.
title: {SITE_TITLE}
base_url: {BASE_URL}
language: en
description: "{DESCRIPTION}"
organization: Example Clinic
disclaimer: >-
  {DISCLAIMER}
review_interval_months: 36
reading_grade_max: 8
"""

HUGO_CONFIG = f"""# Synthetic benchmark site written by Benchmarks/generate.py: the Patella corpus for Hugo.
baseURL = "{BASE_URL}"
languageCode = "en"
title = "{SITE_TITLE}"
# Patella writes relative links everywhere; ask Hugo for the same.
relativeURLs = true
disableKinds = ["taxonomy", "term"]
enableRobotsTXT = true

[params]
description = "{DESCRIPTION}"
organization = "Example Clinic"
disclaimer = "{DISCLAIMER}"

[markup.goldmark.renderer]
unsafe = false
[markup.goldmark.extensions]
typographer = true
table = true
strikethrough = true
linkify = true
taskList = true
footnote = true
[markup.tableOfContents]
startLevel = 2
endLevel = 3
"""

HUGO_BASEOF = """<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} | {{ site.Title }}{{ end }}</title>
{{ with or .Params.summary site.Params.description }}<meta name="description" content="{{ . }}">
<meta property="og:description" content="{{ . }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:site_name" content="{{ site.Title }}">
<link rel="stylesheet" href="{{ "assets/style.css" | relURL }}">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header"><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav aria-label="Main"><ul>
{{ $current := . }}{{ range site.Sections }}<li><a href="{{ .RelPermalink }}"{{ if eq .Section $current.Section }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
{{ end }}</ul></nav>
<form action="{{ "search/" | relURL }}" role="search"><input type="search" name="q" aria-label="Search"></form>
</header>
<main id="main" class="site-main"><div class="wrap">
{{ block "main" . }}{{ end }}
</div></main>
<footer class="site-footer"><div class="disclaimer">{{ site.Params.disclaimer | markdownify }}</div>
<p>{{ site.Params.organization }}</p></footer>
</body>
</html>
"""

HUGO_ITEM = """<li class="item"><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}</li>
"""

HUGO_SINGLE = """{{ define "main" }}
<nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="{{ "/" | relURL }}">Home</a> &rsaquo; <a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></nav>
<article class="page page-{{ .Section }}">
<header class="page-header">
<p class="type-label">{{ .Section | singularize | humanize }}</p>
{{ with .Params.care }}<p class="badge badge-care">Care: {{ . | humanize }}</p>{{ end }}
{{ with .Params.cause_kind }}<p class="badge badge-kind">{{ . | humanize }}</p>{{ end }}
<h1>{{ .Title }}</h1>
<p class="lead">{{ .Params.summary }}</p>
{{ with .Params.also_called }}<p class="aliases">Also called: {{ delimit . ", " }}</p>{{ end }}
</header>
<nav class="toc" aria-label="On this page">{{ .TableOfContents }}</nav>
<div class="body">{{ .Content }}</div>
{{ $page := . }}
{{ range $key := slice "symptoms" "causes" "treatments" "diagnostics" "related" }}
{{ with index $page.Params $key }}
<section class="group"><h2 id="see-{{ $key }}">{{ $key | humanize }}</h2><ul class="item-list">
{{ range . }}{{ with site.GetPage . }}{{ partial "item.html" . }}{{ end }}{{ end }}
</ul></section>
{{ end }}
{{ end }}
<footer class="page-footer">
{{ with .Params.sources }}<h2>Sources</h2><ul>{{ range . }}<li>{{ with .url }}<a href="{{ . }}">{{ end }}{{ .title }}{{ with .url }}</a>{{ end }}, {{ .publisher }}</li>{{ end }}</ul>{{ end }}
{{ if not .Lastmod.IsZero }}<p>Updated {{ .Lastmod.Format "2006-01-02" }}</p>{{ end }}
<p>Awaiting clinical review</p>
</footer>
</article>
{{ end }}
"""

HUGO_HOME = """{{ define "main" }}
<section class="hero"><h1>{{ site.Title }}</h1><p class="lead">{{ site.Params.description }}</p></section>
<section><h2>Start with your symptoms</h2><ul class="tile-list">
{{ with site.GetPage "/symptoms" }}{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}{{ end }}</ul></section>
<section><h2>Guides</h2><ul class="item-list">
{{ with site.GetPage "/guides" }}{{ range .Pages.ByTitle }}{{ partial "item.html" . }}{{ end }}{{ end }}</ul></section>
<section><h2>Browse the guide</h2><ul class="card-list">
{{ range site.Sections }}<li class="card"><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ len .Pages }} pages</li>
{{ end }}</ul></section>
{{ end }}
"""


def hugo_list(section):
    """One list template per section, grouped the way Patella's section pages are:
    A-Z for conditions and symptoms, by kind for causes, by care step for treatments."""
    if section in ("conditions", "symptoms"):
        groups = """{{ $letters := slice }}{{ range .Pages.ByTitle }}{{ $letters = $letters | append (substr .Title 0 1 | upper) }}{{ end }}
<nav class="jump-list"><ul>{{ range uniq $letters }}<li><a href="#letter-{{ . | lower }}">{{ . }}</a></li>{{ end }}</ul></nav>
{{ $pages := .Pages.ByTitle }}
{{ range uniq $letters }}{{ $l := . }}<section class="index-group"><h2 id="letter-{{ $l | lower }}">{{ $l }}</h2><ul class="item-list">
{{ range $pages }}{{ if eq (substr .Title 0 1 | upper) $l }}{{ partial "item.html" . }}{{ end }}{{ end }}
</ul></section>
{{ end }}"""
    elif section == "causes":
        groups = """{{ range .Pages.GroupByParam "cause_kind" }}<section class="index-group"><h2>{{ .Key | humanize }}</h2><ul class="item-list">
{{ range .Pages.ByTitle }}{{ partial "item.html" . }}{{ end }}</ul></section>
{{ end }}"""
    elif section == "treatments":
        groups = """{{ $pages := .Pages }}{{ range slice "self-care" "clinician" "procedure" "surgery" }}{{ $step := . }}
{{ with where $pages "Params.care" $step }}<section class="index-group"><h2>{{ $step | humanize }}</h2><ul class="item-list">
{{ range .ByTitle }}{{ partial "item.html" . }}{{ end }}</ul></section>{{ end }}
{{ end }}"""
    else:
        groups = """<ul class="item-list">{{ range .Pages.ByTitle }}{{ partial "item.html" . }}{{ end }}</ul>"""
    return ("""{{ define "main" }}
<nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="{{ "/" | relURL }}">Home</a></nav>
<div class="section-page section-""" + section + """">
<header class="page-header"><h1>{{ .Title }}</h1>
<p class="lead">{{ len .Pages }} pages, each with a short summary. Choose one to read more.</p></header>
""" + groups + """
</div>
{{ end }}
""")


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(n, out, seed, theme=None):
    t0 = time.perf_counter()
    rng = random.Random(seed)
    tail = make_tail_words(rng, max(2000, n * 3))
    w = Writer(rng, tail)
    pages = make_pages(rng, n)
    by_type = {t: [p for p in pages if p.type == t] for t, _, _, _ in TYPES}
    assign_metadata(rng, pages, by_type, tail)
    ring = pages[:]
    rng.shuffle(ring)
    ring_next = {ring[i].id: ring[(i + 1) % len(ring)] for i in range(len(ring))}
    for p in pages:
        make_body(rng, w, p, choose_link_targets(rng, p, pages, ring_next[p.id]))

    if os.path.exists(out):
        shutil.rmtree(out)
    pat, hugo = os.path.join(out, "patella"), os.path.join(out, "hugo")
    for _, folder, _, _ in TYPES:
        os.makedirs(os.path.join(pat, folder))
        os.makedirs(os.path.join(hugo, "content", folder))
    write(os.path.join(pat, "site.yml"), SITE_YML)

    # Hugo: config, section index pages, layouts, the same stylesheet.
    write(os.path.join(hugo, "config.toml"), HUGO_CONFIG)
    for _, folder, _, heading in TYPES:
        write(os.path.join(hugo, "content", folder, "_index.md"), f"---\ntitle: {json.dumps(heading)}\n---\n")
    layouts = os.path.join(hugo, "layouts")
    os.makedirs(os.path.join(layouts, "_default"))
    os.makedirs(os.path.join(layouts, "partials"))
    write(os.path.join(layouts, "_default", "baseof.html"), HUGO_BASEOF)
    write(os.path.join(layouts, "_default", "single.html"), HUGO_SINGLE)
    write(os.path.join(layouts, "_default", "list.html"), '{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}\n')
    write(os.path.join(layouts, "partials", "item.html"), HUGO_ITEM)
    write(os.path.join(layouts, "index.html"), HUGO_HOME)
    for _, folder, _, _ in TYPES:
        os.makedirs(os.path.join(layouts, folder))
        write(os.path.join(layouts, folder, "list.html"), hugo_list(folder))
    css_src = os.path.join(theme, "assets", "style.css") if theme else None
    os.makedirs(os.path.join(hugo, "static", "assets"))
    if css_src and os.path.exists(css_src):
        shutil.copyfile(css_src, os.path.join(hugo, "static", "assets", "style.css"))
    else:
        write(os.path.join(hugo, "static", "assets", "style.css"), "body { font-family: sans-serif; }\n")

    total = 0
    with open(os.path.join(out, "bodies.md"), "w", encoding="utf-8", newline="\n") as bodies:
        for p in pages:
            folder = FOLDER[p.type]
            text = patella_page(p)
            total += len(text.encode("utf-8"))
            write(os.path.join(pat, folder, p.id + ".md"), text)
            write(os.path.join(hugo, "content", folder, p.id + ".md"), hugo_page(p))
            # The floor's input: the body as Patella's parser sees it (after front matter).
            bodies.write(text.split("\n---\n", 1)[1])
            bodies.write("\n")

    counts = {t: len(v) for t, v in by_type.items()}
    relations = sum(len(v) for p in pages for v in p.relations.values())
    links = sum(len(p.links) for p in pages)
    words = sum(len(WORD_RE.findall(LINK_RE.sub(lambda m, p=p: p.links[int(m.group(1))][0].title, p.body)))
                for p in pages)
    stamp = {"generator_version": GENERATOR_VERSION, "pages": n, "seed": seed, "counts": counts,
             "markdown_bytes": total, "mean_bytes_per_page": round(total / n),
             "mean_words_per_page": round(words / n), "relations_per_page": round(relations / n, 2),
             "body_links_per_page": round(links / n, 2)}
    write(os.path.join(out, "stamp.json"), json.dumps(stamp, indent=2) + "\n")
    return dict(stamp, seconds=round(time.perf_counter() - t0, 2))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", "-n", type=int, default=1000)
    ap.add_argument("--out", "-o", required=True, help="folder to write (replaced if it exists)")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--theme", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Theme"),
                    help="Patella theme whose style.css the Hugo site copies")
    args = ap.parse_args(argv)
    if args.pages < 6:
        ap.error("--pages must be at least 6 (one page of each type)")
    stamp = generate(args.pages, args.out, args.seed, args.theme)
    print(json.dumps(stamp))


if __name__ == "__main__":
    sys.exit(main())
