-- Version 3: soft delete of runs and experiments (MLflow's lifecycle stage), as in the embedded store's schema 2.
ALTER TABLE experiments ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
