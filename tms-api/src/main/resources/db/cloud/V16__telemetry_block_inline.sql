-- A telemetry block's row stays whole in its heap page up to a page (8160 bytes) instead of going
-- through the toaster past 2 kB. With the default target every block over ~2 kB had its `encoded`
-- bytes cut into ~2 kB chunks of the TOAST table (a new chunk id looked up in the TOAST index, a
-- heap tuple and an index entry per chunk, their WAL records), and a tank gauge console's block then
-- had its `metrics` array (160 names, ~2.7 kB) run through pglz as well. Blocks up to a page (a
-- bay's arms per load: 2-8 kB, most of them) are now one heap tuple; larger ones (the gauge console's
-- 10-minute poll, ~22 kB) still move `encoded` out of line, but nothing else. Costs some heap space
-- (a 5 kB row has its page to itself), saves the ingest's PostgreSQL CPU per block.
ALTER TABLE telemetry_block SET (toast_tuple_target = 8160);
