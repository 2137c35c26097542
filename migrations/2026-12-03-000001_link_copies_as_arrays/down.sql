UPDATE measures SET
    agencies = (
        SELECT json_group_array(json_object(
            'id', j.value ->> 0, 'role', j.value ->> 1, 'raw_name', j.value ->> 2,
            'start', j.value ->> 3, 'end', j.value ->> 4,
            'line_start', j.value ->> 5, 'line_end', j.value ->> 6))
        FROM (SELECT value FROM json_each(measures.agencies) ORDER BY key) j),
    deadlines = (
        SELECT json_group_array(json_object(
            'text', j.value ->> 0, 'date', j.value ->> 1, 'start', j.value ->> 2,
            'end', j.value ->> 3, 'line_start', j.value ->> 4, 'line_end', j.value ->> 5))
        FROM (SELECT value FROM json_each(measures.deadlines) ORDER BY key) j);
