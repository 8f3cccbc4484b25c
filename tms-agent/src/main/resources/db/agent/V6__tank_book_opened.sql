-- A tank's book is checked at load start (TANK_INSUFFICIENT) only once it is known: opened by the
-- seed or by an OPENING receipt. Books that exist before this version were never opened — sites
-- had no receipts, so a cloud-fed site's books are draw-downs from zero — and stay unchecked, as
-- they were, until the operator books the opening balance (which re-bases the book).
ALTER TABLE tank_inventory ADD COLUMN opened INTEGER NOT NULL DEFAULT 0;
