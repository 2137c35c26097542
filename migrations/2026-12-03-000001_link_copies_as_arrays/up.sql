-- The JSON copies of a measure's links hold each link as an array of its values instead of
-- an object that repeats the field names in every link (half of the column's bytes):
--   agencies  [["agency id", "role", "raw_name", start, end, line_start, line_end], …]
--   deadlines [["text", "date" or null, start, end, line_start, line_end], …]
-- in the same order as before (annotation order, reading order); themes stay
-- ["theme id", …]. Every span is in the measure's own document, as before.
UPDATE measures SET
    agencies = (
        SELECT json_group_array(json_array(
            j.value ->> 'id', j.value ->> 'role', j.value ->> 'raw_name',
            j.value ->> 'start', j.value ->> 'end',
            j.value ->> 'line_start', j.value ->> 'line_end'))
        FROM (SELECT value FROM json_each(measures.agencies) ORDER BY key) j),
    deadlines = (
        SELECT json_group_array(json_array(
            j.value ->> 'text', j.value ->> 'date', j.value ->> 'start',
            j.value ->> 'end', j.value ->> 'line_start', j.value ->> 'line_end'))
        FROM (SELECT value FROM json_each(measures.deadlines) ORDER BY key) j);
