package dev.pipedesk.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A table's content as one hash, for tests that check that a request wrote nothing: equal before
 * and after means the table did not change.
 */
public final class TableDigest {
    private TableDigest() {
    }

    /** Every row of {@code table}, in {@code id} order. */
    public static String rows(Connection connection, String table) throws SQLException {
        return query(connection, "select coalesce(md5(string_agg(t::text, '|' order by t.id)), '') from " + table + " t");
    }

    /** One column of every row of {@code table}, in its order (for tables whose other columns change on their own). */
    public static String column(Connection connection, String table, String column) throws SQLException {
        return query(connection, "select coalesce(md5(string_agg(" + column + "::text, '|' order by " + column + ")), '') from "
                + table);
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement query = connection.createStatement(); ResultSet rs = query.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
