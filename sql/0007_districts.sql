-- R-L2: districts are reference data. The eight districts of Almaty are seeded; `kezek district add` adds
-- another. Registrations, organizations and officers name a district of this table (checked by kezek; rows
-- written before this migration keep what they hold).
CREATE TABLE district (
    name     TEXT PRIMARY KEY NOT NULL CHECK (length(trim(name)) > 0 AND name = trim(name)),
    name_kk  TEXT NOT NULL CHECK (length(trim(name_kk)) > 0)
) WITHOUT ROWID;

INSERT INTO district (name, name_kk) VALUES
    ('Алатауский', 'Алатау'),
    ('Алмалинский', 'Алмалы'),
    ('Ауэзовский', 'Әуезов'),
    ('Бостандыкский', 'Бостандық'),
    ('Жетысуский', 'Жетісу'),
    ('Медеуский', 'Медеу'),
    ('Наурызбайский', 'Наурызбай'),
    ('Турксибский', 'Түрксіб');
