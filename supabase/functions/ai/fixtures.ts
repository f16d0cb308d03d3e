// Resume data the AI tests share: two roles of one candidate (each test adds the
// descriptions and fields it reads); with ids, as the wizard stores them.
export const acmeJob = {
  title: "Backend Engineer",
  company: "Acme Logistics",
  startDate: "2021-03",
  endDate: null,
};
export const acmeRole = { id: "e1", ...acmeJob };
export const hooliRole = {
  id: "e2",
  title: "Developer",
  company: "Hooli",
  startDate: "2018-06",
  endDate: "2021-02",
};
