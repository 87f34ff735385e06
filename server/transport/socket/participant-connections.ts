/**
 * The latest connection of each participant. A phone whose vote got no answer reconnects; a vote
 * still travelling over its old connection is then refused, so it can never be counted after the
 * phone's new snapshot said it was not.
 */
export class ParticipantConnections {
  private readonly latest = new Map<string, string>();

  connected(participantId: string, socketId: string): void {
    this.latest.set(participantId, socketId);
  }

  disconnected(participantId: string, socketId: string): void {
    if (this.latest.get(participantId) === socketId) this.latest.delete(participantId);
  }

  isLatest(participantId: string, socketId: string): boolean {
    return this.latest.get(participantId) === socketId;
  }
}
