-- Free text at rest (issue 20): the ID numbers and phones typed into a
-- free text are kept masked in its column, and the whole text, when
-- masking changed it, sealed (SM4-GCM under the pii keyring) in a companion
-- column <column>_sealed; NULL when the text holds no such number. The
-- recorded key is forgotten so that the next start walks the stored rows
-- once more (SealPersonalData) and masks and seals what was kept in clear.
ALTER TABLE disputes ADD COLUMN description_sealed MEDIUMTEXT NULL;
ALTER TABLE disputes ADD COLUMN reason_sealed MEDIUMTEXT NULL;
ALTER TABLE dispute_history ADD COLUMN reason_sealed MEDIUMTEXT NULL;
ALTER TABLE mediation_cases ADD COLUMN dossier_sealed MEDIUMTEXT NULL;
ALTER TABLE mediation_followups ADD COLUMN comment_sealed MEDIUMTEXT NULL;
ALTER TABLE mediation_followups ADD COLUMN rectify_action_sealed MEDIUMTEXT NULL;
ALTER TABLE reconsideration_cases ADD COLUMN act_sealed MEDIUMTEXT NULL;
ALTER TABLE reconsideration_cases ADD COLUMN record_sealed MEDIUMTEXT NULL;
UPDATE pii_state SET key_id = '';
