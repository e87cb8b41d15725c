// Core's public API is written in JSON values and field errors (configurations,
// catalogues, BOMs), so whoever imports Core gets the JSON target too.
@_exported import CleanStationJSON
