// Word pools the data set draws from: names, job titles, companies, places, skills and
// the sentences job descriptions are made of. Fixed lists, so every run generates the
// same kind of text and the SQL stays set-based (an array subscript per row).

export const firstNames = [
  'Ada', 'Alan', 'Amara', 'Ana', 'Arjun', 'Beatriz', 'Carlos', 'Chen', 'Chloe', 'Daniel',
  'Diego', 'Elena', 'Emma', 'Fatima', 'Felix', 'Grace', 'Hana', 'Hugo', 'Ines', 'Ivan',
  'Jamal', 'Julia', 'Kai', 'Kenji', 'Laura', 'Leila', 'Liam', 'Lucas', 'Maria', 'Mateo',
  'Maya', 'Mohammed', 'Nadia', 'Noah', 'Olivia', 'Omar', 'Priya', 'Rafael', 'Rosa', 'Sam',
  'Sara', 'Sofia', 'Tariq', 'Tomas', 'Uma', 'Victor', 'Wei', 'Yara', 'Yusuf', 'Zoe',
];

export const lastNames = [
  'Almeida', 'Andersen', 'Bauer', 'Bianchi', 'Costa', 'Dubois', 'Dvorak', 'Fernandes', 'Fischer', 'Garcia',
  'Gomez', 'Haddad', 'Hansen', 'Ivanova', 'Jansen', 'Kim', 'Kowalski', 'Lopez', 'Martin', 'Meyer',
  'Moreau', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Oliveira', 'Patel', 'Pereira', 'Rossi', 'Santos',
  'Schmidt', 'Silva', 'Singh', 'Smith', 'Sousa', 'Suzuki', 'Tanaka', 'Thompson', 'Wagner', 'Zhang',
];

export const jobTitles = [
  'Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Frontend Engineer',
  'Senior Frontend Engineer', 'Backend Engineer', 'Full Stack Developer', 'Data Engineer',
  'Data Scientist', 'Machine Learning Engineer', 'Site Reliability Engineer', 'DevOps Engineer',
  'Platform Engineer', 'Mobile Engineer (iOS)', 'Android Developer', 'QA Automation Engineer',
  'Security Engineer', 'Engineering Manager', 'Product Manager', 'Senior Product Manager',
  'Product Designer', 'UX Researcher', 'Technical Writer', 'Solutions Architect',
  'Cloud Architect', 'Database Administrator', 'Analytics Engineer', 'Business Analyst',
  'Developer Advocate', 'Support Engineer', 'Embedded Software Engineer', 'Game Developer',
  'Growth Engineer', 'Infrastructure Engineer', 'Principal Engineer', 'Junior Developer',
  'Software Engineer in Test', 'Data Analyst', 'Head of Engineering', 'Technical Program Manager',
];

export const companies = [
  'Acme Robotics', 'Brightwave', 'Nimbus Labs', 'Northwind Analytics', 'Bluefin Health',
  'Copperleaf', 'Driftwood Games', 'Evergreen Energy', 'Foxglove Security', 'Granite Cloud',
  'Harbor Logistics', 'Ironclad Payments', 'Juniper Learning', 'Keystone Insurance', 'Lumen Maps',
  'Meridian Bank', 'Nova Mobility', 'Orchid Biotech', 'Pinecone Retail', 'Quartz Media',
  'Riverbend Software', 'Saffron Foods', 'Tidal Telecom', 'Umbra Studios', 'Vantage Travel',
  'Willow Finance', 'Xenon Devices', 'Yellowstone Outdoor', 'Zephyr Aerospace', 'Atlas Freight',
  'Beacon Legal', 'Cobalt Systems', 'Delta Clinics', 'Ember Fitness', 'Fjord Shipping',
  'Gale Weather', 'Halcyon Homes', 'Indigo Fashion', 'Jasper Data', 'Kestrel Drones',
  'Lattice Chips', 'Mosaic Marketing', 'Nebula Streaming', 'Onyx Motors', 'Prism Optics',
  'Quill Publishing', 'Redwood Pharma', 'Summit Sports', 'Terra Farms', 'Unity Charities',
];

export const locations = [
  'Remote', 'Remote (US)', 'Remote (EU)', 'New York, NY', 'San Francisco, CA', 'Seattle, WA',
  'Austin, TX', 'Boston, MA', 'Chicago, IL', 'Denver, CO', 'Toronto, Canada', 'Vancouver, Canada',
  'London, UK', 'Manchester, UK', 'Dublin, Ireland', 'Berlin, Germany', 'Munich, Germany',
  'Amsterdam, Netherlands', 'Paris, France', 'Lisbon, Portugal', 'Madrid, Spain', 'Barcelona, Spain',
  'Stockholm, Sweden', 'Warsaw, Poland', 'Zurich, Switzerland', 'Bangalore, India', 'Singapore',
  'Tokyo, Japan', 'Sydney, Australia', 'São Paulo, Brazil',
];

// name, category; a user's 20 skills are 20 consecutive entries from a random start.
export const skills = [
  ['JavaScript', 'Technical'], ['TypeScript', 'Technical'], ['React', 'Technical'], ['Node.js', 'Technical'],
  ['Python', 'Technical'], ['Django', 'Technical'], ['PostgreSQL', 'Technical'], ['SQL', 'Technical'],
  ['Docker', 'Technical'], ['Kubernetes', 'Technical'], ['AWS', 'Technical'], ['GCP', 'Technical'],
  ['Terraform', 'Technical'], ['Go', 'Technical'], ['Rust', 'Technical'], ['Java', 'Technical'],
  ['Kotlin', 'Technical'], ['Swift', 'Technical'], ['GraphQL', 'Technical'], ['REST APIs', 'Technical'],
  ['Redis', 'Technical'], ['Kafka', 'Technical'], ['Spark', 'Technical'], ['Airflow', 'Technical'],
  ['dbt', 'Technical'], ['Pandas', 'Technical'], ['PyTorch', 'Technical'], ['TensorFlow', 'Technical'],
  ['CI/CD', 'Technical'], ['Linux', 'Technical'], ['Git', 'Tools'], ['Figma', 'Tools'],
  ['Jira', 'Tools'], ['Datadog', 'Tools'], ['Grafana', 'Tools'], ['Tableau', 'Tools'],
  ['Communication', 'Soft Skills'], ['Mentoring', 'Soft Skills'], ['Leadership', 'Soft Skills'],
  ['Stakeholder Management', 'Soft Skills'], ['Problem Solving', 'Soft Skills'], ['Teamwork', 'Soft Skills'],
  ['Public Speaking', 'Soft Skills'], ['Technical Writing', 'Soft Skills'], ['Agile', 'Methods'],
  ['Scrum', 'Methods'], ['Test-Driven Development', 'Methods'], ['Domain-Driven Design', 'Methods'],
  ['System Design', 'Technical'], ['Accessibility', 'Technical'], ['Next.js', 'Technical'],
  ['Vue.js', 'Technical'], ['Angular', 'Technical'], ['C#', 'Technical'], ['.NET', 'Technical'],
  ['C++', 'Technical'], ['Elasticsearch', 'Technical'], ['MongoDB', 'Technical'], ['Snowflake', 'Technical'],
  ['Security Reviews', 'Technical'],
];

export const schools = [
  'University of Lisbon', 'Technical University of Munich', 'University of Toronto', 'ETH Zurich',
  'University of Washington', 'Georgia Institute of Technology', 'University of Manchester',
  'Delft University of Technology', 'National University of Singapore', 'University of São Paulo',
  'Indian Institute of Technology Bombay', 'University of Warsaw', 'KTH Royal Institute of Technology',
  'University College Dublin', 'University of Texas at Austin', 'Sorbonne University',
];

export const fields = [
  'Computer Science', 'Software Engineering', 'Information Systems', 'Electrical Engineering',
  'Mathematics', 'Statistics', 'Physics', 'Data Science', 'Human-Computer Interaction', 'Economics',
];

export const languages = ['Spanish', 'French', 'German', 'Portuguese', 'Mandarin', 'Hindi', 'Japanese', 'Italian', 'Polish', 'Arabic'];

// Work-experience bullets (the app stores newline-separated bullets).
export const bullets = [
  'Led the migration of the customer dashboard to React 18 and cut load time by a third',
  'Designed and shipped a billing service that processes invoices for 40,000 customers',
  'Introduced end-to-end tests in CI, reducing production incidents quarter over quarter',
  'Mentored four junior engineers through their first year on the team',
  'Built the internal design system used by five product teams',
  'Moved batch jobs from cron servers to a managed workflow scheduler',
  'Rewrote the search indexing pipeline to handle ten times the previous volume',
  'Owned on-call for the payments platform and wrote the runbooks the team still uses',
  'Partnered with product and design to launch the mobile onboarding flow',
  'Reduced cloud spend by right-sizing clusters and adding autoscaling policies',
  'Implemented role-based access control across the admin console',
  'Automated the release process, taking deploys from weekly to several times a day',
  'Built data models and dashboards that became the weekly business review',
  'Ran user interviews and usability tests that shaped the roadmap',
  'Hardened the public API with rate limits, input validation and audit logging',
  'Introduced feature flags and gradual rollouts for risky changes',
];

const sentences = [
  'We are looking for an engineer who enjoys owning problems from the first sketch to production.',
  'You will join a small, cross-functional team that ships to customers every week.',
  'Our platform serves millions of requests a day, and reliability matters to us as much as new features.',
  'You will work closely with product managers, designers and data scientists.',
  'We value clear writing, thoughtful code review and a calm approach to incidents.',
  'Experience with a modern web framework and a relational database is expected.',
  'Familiarity with cloud infrastructure and containers is a plus, not a requirement.',
  'You have shipped software that real people depend on, and you can explain the trade-offs you made.',
  'We offer a competitive salary, equity, and a yearly learning budget.',
  'The role is open to candidates in our listed locations and to remote applicants in similar time zones.',
  'Our interview process has four steps: an introductory call, a practical exercise, a system design conversation and a meeting with the team.',
  'We care about accessibility and performance on low-end devices.',
  'You will help shape our engineering practices as the team grows from twelve to thirty people.',
  'Benefits include health insurance, a home-office stipend and twenty-five days of paid leave.',
  'We are an equal opportunity employer and welcome applicants from all backgrounds.',
  'In your first month you will pair with teammates, learn the codebase and ship a small feature.',
  'By your third month you will own a part of the product end to end.',
  'You are comfortable with ambiguity and can break a large problem into small, shippable steps.',
  'Strong communication skills in English are required; other languages are a bonus.',
  'Our stack includes TypeScript, React, Node.js, PostgreSQL and a handful of Python services.',
  'We run on a major cloud provider and manage infrastructure as code.',
  'You will be on call one week in six, with a generous compensation policy.',
  'We publish our salary bands and review them every year.',
  'The team works asynchronously first, with a few overlapping hours for meetings.',
  'You have experience mentoring others or are eager to start.',
  'We measure success by the outcomes our customers see, not by lines of code.',
  'Prior experience in a regulated industry such as finance or healthcare is helpful.',
  'You will contribute to our data pipeline and the dashboards that leadership relies on.',
  'Security and privacy are part of every design review.',
  'We are growing quickly and have recently closed our Series B funding round.',
  'You enjoy improving developer tooling and making the build faster for everyone.',
  'Candidates should be able to start within the next two months.',
];

// 64 paragraphs of 3–4 sentences (about 250–450 characters each); a job description is
// a run of 2–6 consecutive paragraphs, so descriptions are 500–2,000 characters long.
export const paragraphs = Array.from({ length: 64 }, (_, p) => {
  const count = 3 + (p % 2);
  return Array.from({ length: count }, (_, s) => sentences[(p * 5 + s * 7) % sentences.length]).join(' ');
});

export const targetRoles = jobTitles.slice(0, 24);

export const aiErrors = [
  'Model answer failed validation twice',
  'Upstream model timed out after 30 s',
  'Upstream model returned 429 Too Many Requests',
  'Upstream model returned 500 Internal Server Error',
];

// A Postgres text[] literal; values are ours, but quote them properly anyway.
export function textArray(values) {
  return `array[${values.map((v) => `'${String(v).replaceAll("'", "''")}'`).join(', ')}]::text[]`;
}

// Host names for job URLs, one per company (same index).
export const companyHosts = companies.map((name) => `careers.${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.com`);
