package io.tokenrouter.usage;

import java.util.List;

/**
 * Where usage records land for good (the database's requests table), as the recorder needs it.
 * A failure is either {@link RecordsRefused} (the database answered and will refuse the same data
 * again) or any other exception (the database is away: the records wait in the spool).
 */
public interface RecordStore {
  /** Writes every record or none; writing records already stored again changes nothing. */
  void insertAll(List<UsageRecord> records);
}
