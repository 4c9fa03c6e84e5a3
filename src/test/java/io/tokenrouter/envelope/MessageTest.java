package io.tokenrouter.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageTest {
  @Test
  void aKnownRoleReadFromABodyIsTheGatewaysOwnConstant() {
    Message read = new Message(new String("assistant"), List.of(), false, null);

    assertThat(read.role()).isSameAs(Message.ASSISTANT);
  }

  @Test
  void anUnknownRoleIsKeptAsItCame() {
    String role = new String("critic");

    assertThat(new Message(role, List.of(), false, null).role()).isSameAs(role);
  }
}
