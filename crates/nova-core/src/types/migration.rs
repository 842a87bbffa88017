//! Migrations: of one server (`/servers/{id}/migrations`) and of all (`/os-migrations`).
