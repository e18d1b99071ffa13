-- Repeat detection reads a bounded number of rows however many disputes a
-- party has had (issue 25): each ID number's row also keeps its dispute's
-- category and day of receipt, which are fixed at intake, and the index
-- dispute_party_ids_latest finds a party's latest dispute of a category
-- within the window by one descending step (priorDisputes), where the
-- party's whole history in the window was read and grouped before.
ALTER TABLE dispute_party_ids ADD COLUMN category VARCHAR(100) NOT NULL DEFAULT '', ADD COLUMN received_on DATE NULL;
UPDATE dispute_party_ids p JOIN disputes d ON d.id = p.dispute_id SET p.category = d.category, p.received_on = d.received_on;
CREATE INDEX dispute_party_ids_latest ON dispute_party_ids(id_number, category, received_on, dispute_id);
