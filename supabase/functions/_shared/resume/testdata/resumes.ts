// Resume contents for the renderer tests, in the stored (wizard draft) shape.
export const polyglotName = "Zoë Łukasiewicz-Παπαδοπούλου";

export const polyglotDraft = {
  profile: {
    fullName: polyglotName,
    firstName: "Zoë",
    lastName: "Łukasiewicz-Παπαδοπούλου",
    email: "zoe@example.test",
    phone: "+30 210 555 0100",
    headline: "Staff Platform Engineer",
    location: "Thessaloniki, Greece",
    summary: "Platform engineer who builds calm, observable systems. Speaks Greek, Polish and Russian (Русский).",
    socialLinks: [
      { platform: "linkedin", url: "https://www.linkedin.com/in/zoe-l" },
      { platform: "github", url: "https://github.com/zoe-l" },
    ],
  },
  experience: [
    {
      id: "11111111-1111-4111-8111-111111111111",
      title: "Staff Platform Engineer",
      company: "Ἀκρόπολις Cloud",
      location: "Thessaloniki",
      startDate: "2021-03",
      endDate: null,
      isCurrent: true,
      description: "Led the move of 40 services to Kubernetes\nCut deploy time from 30 to 4 minutes",
    },
    {
      id: "22222222-2222-4222-8222-222222222222",
      title: "Backend Engineer",
      company: "Łódź Logistics",
      location: "Łódź",
      startDate: "2017-06",
      endDate: "2021-02",
      isCurrent: false,
      description: "Built the parcel tracking API in Go\nOn call for the routing service",
    },
  ],
  education: [
    {
      id: "33333333-3333-4333-8333-333333333333",
      school: "Aristotle University of Thessaloniki",
      degree: "MSc",
      field: "Computer Science",
      startDate: "2012-09",
      endDate: "2017-06",
    },
  ],
  skills: [
    { name: "Go", proficiency: "Expert", category: "Technical" },
    { name: "Kubernetes", proficiency: "Advanced", category: "Technical" },
    { name: "PostgreSQL", proficiency: "Advanced", category: "Technical" },
  ],
  languages: [{ name: "Greek", proficiency: "Native" }, { name: "Polish", proficiency: "Advanced" }],
  targetRole: "Principal Engineer",
  provenance: { kind: "wizard" },
};

// Enough experience for several pages, with long bullets that wrap. Entries have one
// to five bullets, and `shift` lengthens the summary, so page breaks fall at every kind
// of line across the variants.
export function longDraft(entries = 14, shift = 0) {
  const bullet = (i: number, j: number) =>
    `Delivered outcome ${j + 1} of role ${i + 1}: coordinated several teams, wrote the design document, ` +
    `rolled it out region by region and measured the result against the plan agreed with stakeholders`;
  return {
    ...polyglotDraft,
    profile: {
      ...polyglotDraft.profile,
      summary: polyglotDraft.profile.summary + " Calm under pressure.".repeat(shift * 4),
    },
    experience: Array.from({ length: entries }, (_, i) => ({
      id: `e${i + 1}`,
      title: `Engineer level ${i + 1}`,
      company: `Company ${String.fromCharCode(65 + (i % 26))}`,
      location: "Remote",
      startDate: `${2000 + i}-01`,
      endDate: `${2001 + i}-01`,
      isCurrent: false,
      description: Array.from({ length: 1 + (i % 5) }, (_, j) => bullet(i, j)).join("\n"),
    })),
  };
}
