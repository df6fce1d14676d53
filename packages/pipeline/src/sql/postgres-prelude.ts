/**
 * Helper functions the PostgreSQL dialect calls, created per session in pg_temp (gone when the session ends, so
 * nothing is left in the user's database). They give DuckDB's semantics where PostgreSQL raises an error instead
 * of a null (casts that fail, overflow, division by zero) or differs (substr, round, how doubles print).
 * Functions that catch errors take their operands already evaluated: an exception block cannot reach into an
 * argument's own evaluation.
 */
const TRY_NUMBER_TYPES: [string, string][] = [
  ["integer", "integer"],
  ["bigint", "bigint"],
  ["double", "double precision"],
];

/**
 * Text too small for a double ('1e-400') is 0 in DuckDB (-0 when negative), as in IEEE arithmetic; PostgreSQL's
 * input raises "out of range" for it as for '1e400', which is null in both. The exact number tells them apart.
 */
const DOUBLE_UNDERFLOW = `WHEN numeric_value_out_of_range THEN
  BEGIN n := v::text::numeric; EXCEPTION WHEN others THEN RETURN NULL; END;
  RETURN CASE WHEN n < 0 AND n > -1 THEN '-0'::double precision WHEN n >= 0 AND n < 1 THEN 0 END;`;

const tryCasts = TRY_NUMBER_TYPES.flatMap(([name, type]) => [
  name === "double"
    ? `CREATE FUNCTION pg_temp.sluice_try_double(v anyelement) RETURNS double precision LANGUAGE plpgsql IMMUTABLE AS $$ DECLARE n numeric; BEGIN RETURN v::double precision; EXCEPTION ${DOUBLE_UNDERFLOW} WHEN others THEN RETURN NULL; END $$`
    : `CREATE FUNCTION pg_temp.sluice_try_${name}(v anyelement) RETURNS ${type} LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN v::${type}; EXCEPTION WHEN others THEN RETURN NULL; END $$`,
  // PostgreSQL has no cast from boolean to bigint or double; DuckDB's gives 1 and 0.
  `CREATE FUNCTION pg_temp.sluice_try_${name}(v boolean) RETURNS ${type} LANGUAGE sql IMMUTABLE AS $$ SELECT v::integer::${type} $$`,
]);

const wholeOps = ([["add", "+"], ["sub", "-"], ["mul", "*"], ["mod", "%"]] as const).map(
  ([name, op]) =>
    `CREATE FUNCTION pg_temp.sluice_whole_${name}(a bigint, b bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $$ BEGIN RETURN a ${op} b; EXCEPTION WHEN numeric_value_out_of_range OR division_by_zero THEN RETURN NULL; END $$`,
);

/**
 * PostgreSQL raises an error where a product or quotient of non-zero doubles rounds to zero; DuckDB (IEEE) gives
 * zero, negative when the operands' signs differ.
 */
const SIGNED_ZERO = "CASE WHEN (a < 0) <> (b < 0) THEN '-0'::double precision ELSE 0 END";

const doubleOps = ([
  ["add", "a + b"],
  ["sub", "a - b"],
  ["mul", "a * b"],
  ["div", "CASE WHEN b = 0 THEN NULL ELSE a / b END"],
  ["mod", "pg_temp.sluice_fmod(a, b)"],
  ["power", "power(a, b)"],
] as const).map(
  ([name, expr]) =>
    `CREATE FUNCTION pg_temp.sluice_double_${name}(a double precision, b double precision) RETURNS double precision LANGUAGE plpgsql IMMUTABLE STRICT AS $$ DECLARE r double precision; BEGIN r := ${expr}; RETURN CASE WHEN r IN ('Infinity', '-Infinity', 'NaN') THEN NULL ELSE r END; EXCEPTION WHEN numeric_value_out_of_range THEN IF SQLERRM LIKE '%underflow%' THEN RETURN ${SIGNED_ZERO}; END IF; RETURN NULL; WHEN division_by_zero OR invalid_argument_for_power_function THEN RETURN NULL; END $$`,
);

export const POSTGRES_PRELUDE: readonly string[] = [
  // C's fmod, exactly: subtract b scaled by powers of two (each subtraction is exact); the sign of a, as in DuckDB.
  `CREATE FUNCTION pg_temp.sluice_fmod(a double precision, b double precision) RETURNS double precision LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE r double precision := abs(a); m double precision := abs(b); t double precision;
BEGIN
  IF m = 0 OR r = 'Infinity' OR r = 'NaN' OR m = 'NaN' THEN RETURN NULL; END IF;
  IF m = 'Infinity' THEN RETURN a; END IF;
  t := m;
  WHILE t <= r / 2 LOOP t := t * 2; END LOOP;
  WHILE t >= m LOOP
    IF r >= t THEN r := r - t; END IF;
    t := t / 2;
  END LOOP;
  RETURN CASE WHEN a < 0 OR (a = 0 AND a::text LIKE '-%') THEN -r ELSE r END;
END $$`,
  ...tryCasts,
  `CREATE FUNCTION pg_temp.sluice_try_numeric(v anyelement, p integer, s integer) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$ DECLARE r numeric; BEGIN r := round(v::numeric, s); IF abs(r) >= 10::numeric ^ (p - s) THEN RETURN NULL; END IF; RETURN r; EXCEPTION WHEN others THEN RETURN NULL; END $$`,
  `CREATE FUNCTION pg_temp.sluice_try_numeric(v boolean, p integer, s integer) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT v::integer::numeric $$`,
  `CREATE FUNCTION pg_temp.sluice_try_boolean(v anyelement) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN v::numeric <> 0; EXCEPTION WHEN others THEN RETURN NULL; END $$`,
  `CREATE FUNCTION pg_temp.sluice_try_date(v anyelement) RETURNS date LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN v::date; EXCEPTION WHEN others THEN RETURN NULL; END $$`,
  `CREATE FUNCTION pg_temp.sluice_try_timestamp(v anyelement) RETURNS timestamp LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN v::timestamp; EXCEPTION WHEN others THEN RETURN NULL; END $$`,
  `CREATE FUNCTION pg_temp.sluice_try_instant(v text) RETURNS timestamp LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN v::timestamptz AT TIME ZONE 'UTC'; EXCEPTION WHEN others THEN RETURN NULL; END $$`,
  `CREATE FUNCTION pg_temp.sluice_try_jsonb(v text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN v::jsonb; EXCEPTION WHEN others THEN RETURN NULL; END $$`,
  // DuckDB's %y reads 00 to 68 as 2000 to 2068 and 69 to 99 as 1969 to 1999; PostgreSQL's YY reads 69 as 2069. A template
  // has YY but not YYYY only for %y (literal text is quoted a character at a time).
  `CREATE FUNCTION pg_temp.sluice_try_to_timestamp(v text, f text) RETURNS timestamp LANGUAGE plpgsql IMMUTABLE AS $$ DECLARE r timestamp; BEGIN r := to_timestamp(v, f)::timestamptz AT TIME ZONE current_setting('TimeZone'); IF extract(year FROM r) = 2069 AND strpos(f, 'YY') > 0 AND strpos(f, 'YYYY') = 0 THEN r := r - interval '100 years'; END IF; RETURN r; EXCEPTION WHEN others THEN RETURN NULL; END $$`,
  ...wholeOps,
  `CREATE FUNCTION pg_temp.sluice_whole_neg(a bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $$ BEGIN RETURN -a; EXCEPTION WHEN numeric_value_out_of_range THEN RETURN NULL; END $$`,
  `CREATE FUNCTION pg_temp.sluice_whole_abs(a bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $$ BEGIN RETURN abs(a); EXCEPTION WHEN numeric_value_out_of_range THEN RETURN NULL; END $$`,
  ...doubleOps,
  `CREATE FUNCTION pg_temp.sluice_finite(v double precision) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN v IN ('Infinity', '-Infinity', 'NaN') THEN NULL ELSE v END $$`,
  // DuckDB's round(double, digits): std::round (halves away from zero, keeping the sign of a zero) of x * 10^digits,
  // divided back; where that is not finite, x itself for digits >= 0 and 0 for digits < 0 (PostgreSQL raises overflow
  // and underflow errors where DuckDB's doubles go to infinity or zero).
  `CREATE FUNCTION pg_temp.sluice_round(x double precision, d integer) RETURNS double precision LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE m double precision; v double precision; t double precision; r double precision;
BEGIN
  m := power(10::double precision, abs(d));
  v := CASE WHEN d < 0 THEN x / m ELSE x * m END;
  t := trunc(v);
  r := CASE WHEN abs(v - t) >= 0.5 THEN t + sign(v) ELSE t END;
  r := CASE WHEN d < 0 THEN r * m ELSE r / m END;
  RETURN CASE WHEN r IN ('Infinity', '-Infinity', 'NaN') THEN CASE WHEN d < 0 THEN 0 ELSE x END ELSE r END;
EXCEPTION WHEN numeric_value_out_of_range THEN RETURN CASE WHEN d < 0 THEN 0 ELSE x END;
END $$`,
  // DuckDB's substr: start counts from 1, negative from the end, 0 as 1 with one character fewer; a negative length takes characters before start.
  `CREATE FUNCTION pg_temp.sluice_substr(s text, o bigint, n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE st bigint; en bigint; size bigint := length(s);
BEGIN
  IF n = 0 THEN RETURN ''; END IF;
  IF o > 0 THEN st := o - 1; ELSIF o < 0 THEN st := size + o; ELSE st := 0; n := n - 1; IF n <= 0 THEN RETURN ''; END IF; END IF;
  IF n > 0 THEN en := st + n; ELSE en := st; st := st + n; END IF;
  st := greatest(st, 0); en := least(en, size);
  IF st >= en THEN RETURN ''; END IF;
  RETURN substr(s, (st + 1)::integer, (en - st)::integer);
END $$`,
  // A count of characters or digits as a BIGINT within ±2147483647 (doubles rounded, halves to even), null kept.
  `CREATE FUNCTION pg_temp.sluice_clamp_whole(v double precision) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT CAST(least(greatest(v, -2147483647), 2147483647) AS bigint) $$`,
  `CREATE FUNCTION pg_temp.sluice_substr(s text, o bigint) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT CASE WHEN o > 0 THEN substr(s, least(o, 2147483647)::integer) WHEN o < 0 THEN substr(s, greatest(length(s) + o, 0)::integer + 1) ELSE s END $$`,
  // A double as DuckDB prints it: whole numbers below 1e16 with ".0", inf and nan in lower case, else the shortest form.
  `CREATE FUNCTION pg_temp.sluice_double_text(v double precision) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT CASE WHEN v = 'Infinity' THEN 'inf' WHEN v = '-Infinity' THEN '-inf' WHEN v = 'NaN' THEN 'nan' WHEN v = trunc(v) AND abs(v) < 1e16 THEN (CASE WHEN v = 0 AND v::text LIKE '-%' THEN '-' ELSE '' END) || v::bigint::text || '.0' ELSE v::text END $$`,
  `CREATE FUNCTION pg_temp.sluice_raise(message text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$ BEGIN RAISE EXCEPTION '%', message; END $$`,
];
