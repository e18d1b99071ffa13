-- A dispute's title is free text like its description (issue 20): the ID
-- numbers and phones typed into it are kept masked in the column, and the
-- whole title, when masking changed it, sealed in title_sealed. A mediation
-- session's place and attendees, kept in the case's dossier, are masked
-- with the rest of the dossier. The recorded key is forgotten so that the
-- next start walks the stored rows once more (SealPersonalData): it masks
-- and seals the titles kept in clear and masks again the texts that the
-- stricter masking of this version finds more numbers in.
ALTER TABLE disputes ADD COLUMN title_sealed MEDIUMTEXT NULL;
UPDATE pii_state SET key_id = '';
