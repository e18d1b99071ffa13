-- Parties may be organisations (API.md, "Orgs"; DOMAIN.md, "Personal
-- data"). A dispute's parties and a reconsideration applicant are kept as
-- JSON and carry their kind and credit code there; a lawsuit keeps its
-- plaintiff in columns: whether a person or an organisation, and an
-- organisation's 统一社会信用代码 (GB 32100-2015), which is not personal data
-- and is kept in clear. A plaintiff entered before has the default kind,
-- person, as a party of no kind has.
ALTER TABLE litigation_cases ADD COLUMN plaintiff_kind VARCHAR(16) NOT NULL DEFAULT 'person';
ALTER TABLE litigation_cases ADD COLUMN plaintiff_credit_code VARCHAR(18) NOT NULL DEFAULT '';
