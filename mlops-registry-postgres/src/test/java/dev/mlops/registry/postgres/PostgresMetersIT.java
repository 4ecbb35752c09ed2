package dev.mlops.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NonRetriableException;
import dev.mlops.registry.AuditEntry;
import dev.mlops.registry.spi.RegistryStore;
import dev.mlops.registry.spi.TrackingStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PostgreSQL stores' meters: call timers, errors by cause and HikariCP's pool gauges, in the injected registry. */
@ExtendWith(PostgresServer.class)
class PostgresMetersIT {

    @Test
    void callsAreTimedErrorsCountedByCauseAndThePoolGauged() throws Exception {
        String url = PostgresServer.get().newDatabase();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (TrackingStore tracking = PostgresTrackingStore.builder().jdbcUrl(url).maximumPoolSize(3)
                .meterRegistry(meters).build();
             RegistryStore registry = PostgresRegistryStore.builder().jdbcUrl(url).maximumPoolSize(2)
                     .meterRegistry(meters).build()) {
            tracking.experiment("e", Instant.EPOCH); // a read (not found), then a write
            tracking.experiments();
            AuditEntry e = new AuditEntry(1, Instant.EPOCH, "p", "a", "t", "{}", "", "0", "h");
            registry.write(tx -> {
                tx.appendAudit(e);
                return null;
            });
            assertThatThrownBy(() -> registry.write(tx -> {
                tx.appendAudit(e); // the same sequence number again: a primary-key violation
                return null;
            })).isInstanceOf(NonRetriableException.class);

            assertThat(meters.get("mlops.registry.postgres.calls").tag("store", "tracking").tag("kind", "read")
                    .tag("outcome", "ok").timer().count()).isEqualTo(2);
            assertThat(meters.get("mlops.registry.postgres.calls").tag("store", "tracking").tag("kind", "write")
                    .tag("outcome", "ok").timer().count()).isEqualTo(1);
            assertThat(meters.get("mlops.registry.postgres.calls").tag("store", "registry").tag("kind", "write")
                    .tag("outcome", "ok").timer().count()).isEqualTo(1);
            assertThat(meters.get("mlops.registry.postgres.calls").tag("store", "registry").tag("kind", "write")
                    .tag("outcome", "error").timer().count()).isEqualTo(1);
            assertThat(meters.get("mlops.registry.postgres.errors").tag("store", "registry").tag("cause", "rejected")
                    .counter().count()).isEqualTo(1);
            assertThat(meters.find("mlops.registry.postgres.errors").tag("store", "tracking").counter()).isNull();
            // HikariCP's gauges, one pool per store
            assertThat(meters.find("hikaricp.connections.max").gauges()).extracting(g -> g.value())
                    .containsExactlyInAnyOrder(3.0, 2.0);
            assertThat(meters.find("hikaricp.connections.active").gauges()).allSatisfy(g -> assertThat(g.value())
                    .isZero());
        }
    }
}
