-- Headers of an uploaded file that could not be used as column names (blank, or equal to an earlier one ignoring
-- case), with the names given instead: shown beside the file so a user knows "amount_1" was "amount". Files
-- uploaded before this have none recorded.
ALTER TABLE "data_files" ADD COLUMN "renamed_columns" JSONB NOT NULL DEFAULT '[]';
