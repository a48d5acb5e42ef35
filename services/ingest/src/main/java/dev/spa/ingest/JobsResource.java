package dev.spa.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.spa.platform.JobKeys;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** GET /jobs/{id}: the job's latest status (JSON), from the compacted status topic; only the caller's tenant's jobs (an admin's: all). */
@Path("/jobs")
public class JobsResource {
    @Inject
    StatusView statuses;

    @Inject
    JobOwners owners;

    @Inject
    CurrentCaller caller;

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) throws InvalidProtocolBufferException {
        var status = statuses.get(id);
        if (status.isEmpty() || !JobKeys.isValidId(id) || !caller.get().sees(owners.owner(id).orElse(""))) {
            // another tenant's job answers as one that does not exist: ids of other tenants' jobs are not revealed
            return Response.status(404).entity("{\"error\":\"no job '" + id.replaceAll("[^A-Za-z0-9._-]", "?") + "'\"}").build();
        }
        return Response.ok(JsonFormat.printer().print(status.get())).build();
    }
}
