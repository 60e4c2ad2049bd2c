// Package config reads and checks firebot's one YAML configuration file.
//
// Parse turns the bytes of a file into a Config and a list of Problems. Every
// problem names the file, the line when known, the key path (with 0-based
// indexes) and says what is wrong in Chinese:
//
//	config.yaml:12: units[3].category: 未知类别 "医院"（可选：学校、医疗机构、…）
//
// Parsing never stops at the first mistake: a file with ten typos reports ten
// problems. Unknown keys are problems too, so a misspelt key cannot silently
// fall back to its default.
//
// The library never reads files or the environment by itself: Parse takes the
// file name, its bytes and a getenv function. Load is the convenience main
// uses (os.ReadFile + os.Getenv). Secrets from the environment (FIREBOT_*)
// win over the file; secret fields have type Secret, which prints as "***"
// everywhere (fmt, JSON, YAML, slog), so a config can be logged safely.
//
// Times in the file are RFC 3339, "2023-10-27 17:00" or a bare date
// "2023-10-28", all in the configured timezone; a bare date is 23:59:59 of
// that day for deadlines and period ends and 00:00 for everything else.
// Durations are Go durations ("30m", "6h") or whole days ("180d").
package config
