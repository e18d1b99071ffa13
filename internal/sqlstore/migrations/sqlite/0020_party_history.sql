-- Repeat detection reads a bounded number of rows however many disputes a
-- party has had (issue 25): each ID number's row also keeps its dispute's
-- category and day of receipt, which are fixed at intake, and the index
-- dispute_party_ids_latest finds a party's latest dispute of a category
-- within the window by one descending step (priorDisputes), where the
-- party's whole history in the window was read and grouped before.
ALTER TABLE dispute_party_ids ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE dispute_party_ids ADD COLUMN received_on TEXT;
UPDATE dispute_party_ids SET category = (SELECT d.category FROM disputes d WHERE d.id = dispute_party_ids.dispute_id),
  received_on = (SELECT d.received_on FROM disputes d WHERE d.id = dispute_party_ids.dispute_id);
CREATE INDEX dispute_party_ids_latest ON dispute_party_ids(id_number, category, received_on, dispute_id);
